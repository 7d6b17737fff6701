"""The funder report: distance travelled per scale, pathway and period (I10)."""

from django.http import HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.support import selectors
from crm.support.charts import funder_chart
from crm.support.filters import FunderFilterSet
from crm.support.services import exports


def _rows(request: StaffRequest) -> tuple[FunderFilterSet, list[selectors.FunderRow]]:
    filterset = FunderFilterSet(request.GET or None, firm=request.firm)
    rows = selectors.funder_report(firm=request.firm, **filterset.query().as_kwargs())
    return filterset, rows


@require_GET
@staff_view(perm=Perm.VIEW_REPORTS, module="support")
def funder_report(request: StaffRequest) -> HttpResponse:
    """Show distance travelled per scale and pathway as a chart and a table."""
    filterset, rows = _rows(request)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "rows": rows,
        "chart": funder_chart(rows) if rows else None,
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "support/funder_report.html", context)


@require_GET
@staff_view(perm=Perm.VIEW_REPORTS, module="support")
def funder_report_export(request: StaffRequest) -> StreamingHttpResponse:
    """Download the funder report's table as CSV, with the same filters."""
    filterset = FunderFilterSet(request.GET or None, firm=request.firm)
    chunks = exports.funder_report_export(
        firm=request.firm, actor=request.user, **filterset.query().as_kwargs()
    )
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="funder-report-{stamp}.csv"'
    )
    return response
