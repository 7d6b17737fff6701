"""CSV export of the filtered contact list (B5)."""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.contacts import services
from crm.contacts.filters import ContactFilterSet
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm


def csv_response(chunks: Iterator[str], *, filename: str) -> StreamingHttpResponse:
    """Return a download that streams ``chunks`` as a UTF-8 CSV file."""
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_view(perm=Perm.EXPORT_DATA)
def contact_export(request: StaffRequest) -> StreamingHttpResponse:
    """Download the contact list as CSV, filtered as the list page is (B5).

    Takes the list's query parameters: ``kind``, ``archived``, ``sort``, ``q``.
    """
    query = ContactFilterSet(request.GET or None).query()
    chunks = services.contact_export(
        firm=request.firm, actor=request.user, **query.as_kwargs()
    )
    filename = f"contacts-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(chunks, filename=filename)
