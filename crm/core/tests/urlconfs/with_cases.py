"""A URLconf with a fake landed "cases" feature, to test the shell's menus."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as base_urlpatterns
from crm.core.policies import staff_view


@staff_view()
def fake_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fake")


cases_patterns = (
    [
        path("", fake_page, name="case_list"),
        path("new/", fake_page, name="wizard_start"),
    ],
    "cases",
)

urlpatterns = [path("cases/", include(cases_patterns)), *base_urlpatterns]
