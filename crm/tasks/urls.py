from django.urls import URLPattern, path  # noqa: F401

app_name = "tasks"

urlpatterns: list[URLPattern] = []
