"""A URLconf whose id pattern is narrower than any id (for test_links)."""

from django.http import HttpRequest, HttpResponse
from django.urls import re_path

from crm.core.policies import staff_view


@staff_view()
def year(request: HttpRequest, year: str) -> HttpResponse:
    return HttpResponse("year")


urlpatterns = [re_path(r"^years/(?P<year>[0-9]{4})/$", year, name="year")]
