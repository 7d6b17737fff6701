"""The example kind's routes, mounted by ``tests/urls.py``."""

from django.urls import path

from tests.example_kind import views

app_name = "example_kind"

urlpatterns = [path("grants/<int:case_id>/", views.grant_detail, name="grant_detail")]
