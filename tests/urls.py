"""The test settings' URLconf: the project's, plus the example kind's page."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("", include("tests.example_kind.urls")),
]
