"""The Reports pages (L2): the list of reports, one report, its CSV."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from crm.contacts.views.exports import csv_response
from crm.core.policies import staff_view
from crm.core.replica import replica_reads
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.reports import catalogue, charts, services
from crm.reports.filters import ReportFilterSet


def _report(request: StaffRequest, key: str) -> catalogue.Report:
    report = catalogue.report_for(request.firm, key)
    if report is None:
        raise Http404
    return report


@require_GET
@staff_view(perm=Perm.VIEW_REPORTS)
def report_index(request: StaffRequest) -> TemplateResponse:
    """List the reports the firm has, each with what it shows (L2)."""
    return TemplateResponse(
        request,
        "reports/report_index.html",
        {"reports": catalogue.reports_for(request.firm)},
    )


@replica_reads
@require_GET
@staff_view(perm=Perm.VIEW_REPORTS)
@vary_on_headers("HX-Request")
def report_detail(request: StaffRequest, key: str) -> TemplateResponse:
    """Show one report as a chart and a table, filtered by dates and people (L2)."""
    report = _report(request, key)
    filters = ReportFilterSet(
        request.GET or None, firm=request.firm, introducer=report.introducer
    )
    query = filters.query()
    table = report.build(request.firm, request.principal, query, timezone.localdate())
    figures, figures_total = charts.figure_rows(table)
    template = "reports/report_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(
        request,
        template,
        {
            "report": report,
            "table": table,
            "chart": charts.bar_chart(table),
            "figures": figures,
            "figures_total": figures_total,
            "form": filters.form,
            "filtered": filters.is_filtered,
            "export_query": filters.params().urlencode(),
            "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
        },
    )


@require_GET
@staff_view(perm=Perm.EXPORT_DATA)
def report_export(request: StaffRequest, key: str) -> StreamingHttpResponse:
    """Download one report as CSV, with the filters of the page (L2)."""
    report = _report(request, key)
    if not request.membership.has_perm(Perm.VIEW_REPORTS):
        raise PermissionDenied
    query = ReportFilterSet(
        request.GET or None, firm=request.firm, introducer=report.introducer
    ).query()
    table = report.build(request.firm, request.principal, query, timezone.localdate())
    chunks = services.report_export(
        firm=request.firm,
        actor=request.user,
        key=report.key,
        title=report.title,
        table=table,
        query=query,
    )
    filename = f"{report.key}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(chunks, filename=filename)
