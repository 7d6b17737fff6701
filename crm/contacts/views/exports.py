"""CSV export of the filtered contact list (B5)."""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.contacts import services
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm

TRUE_VALUES = {"1", "true", "yes", "on"}


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
    params = request.GET
    chunks = services.contact_export(
        firm=request.firm,
        actor=request.user,
        kind=params.get("kind", ""),
        archived=params.get("archived", "").lower() in TRUE_VALUES,
        sort=params.get("sort") or "name",
        q=params.get("q", "").replace("\x00", "").strip()[:100],
    )
    filename = f"contacts-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(chunks, filename=filename)
