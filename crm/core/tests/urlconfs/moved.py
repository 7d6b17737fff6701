"""A URLconf that serves the client record under another path (for test_links)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from crm.core.policies import staff_view


@staff_view()
def record(request: HttpRequest, contact_id: int) -> HttpResponse:
    return HttpResponse("record")


urlpatterns = [
    path(
        "people/<int:contact_id>/record/",
        include(([path("", record, name="contact_detail")], "contacts")),
    ),
]
