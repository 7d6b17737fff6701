"""Income pages (L3): lines on a case, receipts, the Income page, its CSV, settings.

Adding a line and marking one received are posted from the case page's
Income section and answer with a redirect back to it; on an error the form
comes back on a page of its own, with what was typed kept.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.cases.selectors.case_read import case_get
from crm.contacts.views.exports import csv_response
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.income import selectors, services
from crm.income.filters import IncomeFilterSet
from crm.income.forms import (
    IncomeLineForm,
    IncomeSettingsForm,
    ReceiveForm,
    VersionForm,
)
from crm.income.models import IncomeLine
from crm.income.registry import SECTION_ID
from crm.protection import selectors as protection_selectors

ADVICE_KINDS = services.ADVICE_KINDS


def _back(case: Case, anchor: str = SECTION_ID) -> HttpResponse:
    return redirect(f"{case.get_absolute_url()}#{anchor}")


def _data(request: StaffRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _refuse_moved(request: StaffRequest, line: IncomeLine) -> HttpResponse | None:
    """Send a visitor of a received or written-off line's form back to the case."""
    if line.can_change():
        return None
    messages.error(request, f"{line} can no longer be changed: its money has moved.")
    return _back(line.case, line.anchor)


def _policies(request: StaffRequest, case: Case) -> list[Any]:
    if case.kind != AdviceKind.PROTECTION:
        return []
    return list(protection_selectors.case_policies(firm=request.firm, case=case))


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def line_add(request: StaffRequest, case_id: int) -> HttpResponse:
    """Add an expected fee or commission to an advice case (L3)."""
    case = case_get(
        firm=request.firm,
        case_id=case_id,
        principal=request.principal,
        kinds=ADVICE_KINDS,
    )
    form = IncomeLineForm(
        _data(request),
        policies=_policies(request, case),
        initial={"expected_on": timezone.localdate()},
    )
    if form.is_bound and form.is_valid():
        try:
            line = services.income_line_add(
                firm=request.firm, actor=request.user, case=case, data=form.to_data()
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Income expected: {line}.")
            return _back(case, line.anchor)
    return TemplateResponse(
        request, "income/line_form.html", {"case": case, "form": form}
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def line_receive(request: StaffRequest, line_id: int) -> HttpResponse:
    """Mark an expected fee or commission received: amount and date (L3)."""
    line = selectors.income_line_get(
        firm=request.firm, line_id=line_id, principal=request.principal
    )
    today = timezone.localdate()
    form = ReceiveForm(
        _data(request), initial={"amount": line.amount, "received_on": today}
    )
    if form.is_bound and form.is_valid():
        try:
            services.income_line_receive(
                firm=request.firm,
                actor=request.user,
                line=line,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                today=today,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Marked received: {line}.")
            return _back(line.case, line.anchor)
    return TemplateResponse(
        request,
        "income/line_receive.html",
        {"case": line.case, "line": line, "form": form},
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def line_edit(request: StaffRequest, line_id: int) -> HttpResponse:
    """Correct an expected fee or commission; a stale save is refused (L3, A10)."""
    line = selectors.income_line_get(
        firm=request.firm, line_id=line_id, principal=request.principal
    )
    if (refused := _refuse_moved(request, line)) is not None:
        return refused
    form = IncomeLineForm(
        _data(request),
        policies=_policies(request, line.case),
        editing=True,
        initial=IncomeLineForm.initial_for(line),
    )
    if form.is_bound and form.is_valid():
        try:
            services.income_line_update(
                firm=request.firm,
                actor=request.user,
                line=line,
                data=form.to_data(),
                version=form.cleaned_data["version"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Income saved: {line}.")
            return _back(line.case, line.anchor)
    return TemplateResponse(
        request,
        "income/line_form.html",
        {"case": line.case, "line": line, "form": form},
    )


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def line_delete(request: StaffRequest, line_id: int) -> HttpResponse:
    """Ask, then remove an expected fee or commission added in error (L3)."""
    line = selectors.income_line_get(
        firm=request.firm, line_id=line_id, principal=request.principal
    )
    if (refused := _refuse_moved(request, line)) is not None:
        return refused
    form = VersionForm(_data(request), initial={"version": line.version})
    if form.is_bound and form.is_valid():
        try:
            services.income_line_delete(
                firm=request.firm,
                actor=request.user,
                line=line,
                version=form.cleaned_data["version"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Income removed: {line}.")
            return _back(line.case)
    return TemplateResponse(
        request,
        "income/line_delete.html",
        {"case": line.case, "line": line, "form": form},
        status=409 if form.errors else 200,
    )


@require_GET
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.VIEW_REPORTS, module="advice")
def income_page(request: StaffRequest) -> TemplateResponse:
    """Show income expected, received and overdue per adviser and introducer (L3)."""
    filters = IncomeFilterSet(request.GET or None, firm=request.firm)
    summary = selectors.income_summary(
        firm=request.firm,
        principal=request.principal,
        query=filters.query(),
        today=timezone.localdate(),
    )
    template = "income/income_page.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(
        request,
        template,
        {
            "summary": summary,
            "columns": selectors.COLUMNS,
            "form": filters.form,
            "filtered": filters.is_filtered,
            "export_query": filters.params().urlencode(),
            "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
            "can_manage": request.membership.has_perm(Perm.MANAGE_FIRM),
        },
    )


@require_GET
@staff_view(perm=Perm.EXPORT_DATA, module="advice")
def income_export(request: StaffRequest) -> StreamingHttpResponse:
    """Download the Income page's figures as CSV, with its filters (L3)."""
    if not request.membership.has_perm(Perm.VIEW_REPORTS):
        raise PermissionDenied
    query = IncomeFilterSet(request.GET or None, firm=request.firm).query()
    summary = selectors.income_summary(
        firm=request.firm,
        principal=request.principal,
        query=query,
        today=timezone.localdate(),
    )
    chunks = services.income_export(
        firm=request.firm, actor=request.user, summary=summary, query=query
    )
    return csv_response(chunks, filename=f"income-{timezone.localdate():%Y-%m-%d}.csv")


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.MANAGE_FIRM, module="advice")
def income_settings(request: StaffRequest) -> HttpResponse:
    """Set how income is shared between adviser, introducer and firm (L3)."""
    rules = selectors.income_settings_get(firm=request.firm)
    form = IncomeSettingsForm(
        _data(request),
        introducers=selectors.introducer_shares(firm=request.firm),
        initial={
            "adviser_share_pct": rules.adviser_share_pct,
            "introducer_share_pct": rules.introducer_share_pct,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            services.income_settings_update(
                firm=request.firm,
                actor=request.user,
                adviser_share_pct=form.cleaned_data["adviser_share_pct"],
                introducer_share_pct=form.cleaned_data["introducer_share_pct"],
                introducer_shares=form.introducer_shares(),
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Income shares saved.")
            return redirect("income:income_settings")
    return TemplateResponse(request, "income/income_settings.html", {"form": form})
