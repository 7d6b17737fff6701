"""Case pages: the Cases list and its CSV export, a case's page, moves and edits.

The case's page moves a case through ``case_move`` and reopens it through
``case_reopen``; both answer with a redirect back to the page, or with the
page and the error when the service refuses.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.advice import selectors, services
from crm.advice.choices import AdviceEventType, AdviceKind, AdviceStatus
from crm.advice.forms import CaseEditForm, CaseFilterForm, CaseReopenForm
from crm.cases import kinds as case_kinds
from crm.cases import selectors as case_selectors
from crm.cases import services as case_services
from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseEvent
from crm.cases.selectors import documents as document_selectors
from crm.contacts.views.exports import csv_response
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.listing import sort_links, tab_links
from crm.core.pagination import paginate
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors
from crm.firms.choices import Perm
from crm.firms.models import Firm
from crm.interactions import selectors as interaction_selectors
from crm.tasks import selectors as task_selectors

PER_PAGE = 25
SECTION_LIMIT = 10
SORTABLE = ("reference", "client", "kind", "status", "owner", "follow_up", "created")
TABS = (("all", "All"), ("open", "Open"), ("closed", "Closed"))


def _can_edit(request: StaffRequest) -> bool:
    return request.membership.has_perm(Perm.EDIT_CASES)


def _label(value: Any) -> str:
    return (
        str(AdviceStatus(value).label) if value in AdviceStatus.values else str(value)
    )


def _advice_case(request: StaffRequest, case_id: int) -> Case:
    """Return a mortgage or protection case the member may see, or 404.

    Support cases have their own pages (``crm.support``).
    """
    return selectors.advice_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )


def _kinds(firm: Firm) -> tuple[str, ...] | None:
    """Return the kinds the advice Cases list keeps to, if the firm has others."""
    others = [k for k in case_kinds.kinds_for(firm) if k.module != "advice"]
    return selectors.ADVICE_KINDS if others else None


# The list


def _filter_form(request: StaffRequest) -> CaseFilterForm:
    return CaseFilterForm(
        request.GET or None,
        kinds=list(selectors.ADVICE_KINDS),
        owners=firm_selectors.member_choices(firm=request.firm),
        introducers=firm_selectors.introducer_choices(firm=request.firm),
    )


def _filters(request: StaffRequest, form: CaseFilterForm) -> dict[str, Any]:
    """Return ``case_list``'s arguments from the request and the filter form."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tab = request.GET.get("tab", "all")
    sort = request.GET.get("sort", "")
    return {
        "tab": tab if tab in case_selectors.TABS else "all",
        "kind": data.get("kind", ""),
        "kinds": _kinds(request.firm),
        "status": data.get("status", ""),
        "owner_id": data.get("owner"),
        "introducer_id": data.get("introducer"),
        "follow_up": data.get("follow_up", ""),
        "created_from": data.get("created_from"),
        "created_to": data.get("created_to"),
        "q": data.get("q", "").strip(),
        "sort": sort
        if sort in case_selectors.CASE_SORTS
        else case_selectors.DEFAULT_SORT,
    }


@require_GET
@vary_on_headers("HX-Request")
@staff_view(module="advice")
def case_list(request: StaffRequest) -> TemplateResponse:
    """List cases in All / Open / Closed tabs with filters, sort and search (D2)."""
    form = _filter_form(request)
    filters = _filters(request, form)
    search = case_selectors.case_search(firm=request.firm, q=filters["q"])
    cases = case_selectors.case_list(
        firm=request.firm, search=search, principal=request.principal, **filters
    )
    page = paginate(cases, params=request.GET, per_page=PER_PAGE)
    leads = []
    if search is not None and not page.items:
        leads = selectors.leads_without_case(
            firm=request.firm, contact_ids=search.contact_ids
        )
    export = request.GET.copy()
    export.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "tab": filters["tab"],
        "tabs": tab_links(request.GET, filters["tab"], TABS),
        "sort": filters["sort"],
        "sort_links": sort_links(request.GET, filters["sort"], SORTABLE),
        "filtered": any(
            v not in (None, "") for k, v in filters.items() if k not in ("tab", "sort")
        ),
        "search_capped": search.capped if search else False,
        "leads_without_case": leads,
        "export_query": export.urlencode(),
        "can_export": request.membership.has_perm(Perm.EXPORT_DATA),
    }
    template = "advice/case_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return TemplateResponse(request, template, context)


@require_GET
@staff_view(perm=Perm.EXPORT_DATA, module="advice")
def case_export(request: StaffRequest) -> StreamingHttpResponse:
    """Download the Cases list as CSV, filtered and sorted as the page is (D2)."""
    filters = _filters(request, _filter_form(request))
    chunks = services.case_export(
        firm=request.firm, actor=request.user, principal=request.principal, **filters
    )
    filename = f"cases-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(chunks, filename=filename)


# A case's page


@dataclass(frozen=True)
class HistoryEntry:
    """A history event as the case's page shows it."""

    event: CaseEvent
    title: str
    reason: str = ""
    changes: dict[str, list[Any]] = field(default_factory=dict)


def _describe(event: CaseEvent) -> HistoryEntry:
    params = event.parameters or {}
    moved = f"from {_label(params.get('from'))} to {_label(params.get('to'))}"
    reason = params.get("reason", "")
    if event.type == CaseEventType.STATUS_CHANGED:
        return HistoryEntry(event, f"Moved {moved}", reason=reason)
    if event.type == CaseEventType.CLOSED:
        return HistoryEntry(event, f"Closed: moved {moved}", reason=reason)
    if event.type == CaseEventType.REOPENED:
        return HistoryEntry(event, f"Reopened: moved {moved}", reason=reason)
    if event.type == CaseEventType.CREATED:
        return HistoryEntry(event, f"Case opened at {_label(params.get('status'))}")
    if event.type in (CaseEventType.UPDATED, AdviceEventType.MORTGAGE_UPDATED):
        changes = params.get("changes", {})
        return HistoryEntry(event, event.get_type_display(), changes=changes)
    return HistoryEntry(event, event.get_type_display())


def detail_response(
    request: StaffRequest,
    case: Case,
    *,
    move_error: str = "",
    reopen_form: CaseReopenForm | None = None,
) -> TemplateResponse:
    """Render the case's page, with a refused move's or reopen's error if any."""
    firm = request.firm
    applicants = list(case.applicants.all())
    main = applicants[0].contact if applicants else None
    moves = selectors.case_moves(case)
    context = {
        "case": case,
        "applicants": applicants,
        "contact": main,
        "moves": [m for m in moves if m != AdviceStatus.NOT_PROCEEDING_WITH],
        "can_stop": AdviceStatus.NOT_PROCEEDING_WITH in moves,
        "can_edit": _can_edit(request),
        "move_error": move_error,
        "reason": request.POST.get("reason", "") if move_error else "",
        "reopen_form": reopen_form or CaseReopenForm(case=case),
        "mortgage": getattr(case, "mortgage", None)
        if case.kind == AdviceKind.MORTGAGE
        else None,
        "history": [
            _describe(e) for e in case_selectors.case_history(firm=firm, case=case)
        ],
        "tasks": list(task_selectors.task_list_for(firm=firm, contact=main)[:10])
        if main
        else [],
        "interactions": list(
            interaction_selectors.interaction_list_for(firm=firm, contact=main)[:10]
        )
        if main
        else [],
        **document_selectors.document_section(firm=firm, case=case),
    }
    return TemplateResponse(request, "advice/case_detail.html", context)


@require_GET
@staff_view(module="advice")
def case_detail(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Show a case: clients, status and moves, details, tasks and history (D4)."""
    case = _advice_case(request, case_id)
    return detail_response(request, case)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_move(request: StaffRequest, case_id: int) -> HttpResponse:
    """Move a case to another stage from its page; closing stages close it."""
    case = _advice_case(request, case_id)
    status = request.POST.get("status", "")
    try:
        case_services.case_move(
            firm=request.firm,
            actor=request.user,
            case=case,
            status=status,
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as exc:
        return detail_response(request, case, move_error=exc.message)
    except ValidationError as exc:
        return detail_response(request, case, move_error=" ".join(exc.messages))
    messages.success(request, f"{case.reference} moved to {_label(status)}.")
    return redirect(case)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_reopen(request: StaffRequest, case_id: int) -> HttpResponse:
    """Reopen a closed case at an open stage, with a reason."""
    case = _advice_case(request, case_id)
    form = CaseReopenForm(request.POST, case=case)
    if form.is_valid():
        try:
            case_services.case_reopen(
                firm=request.firm, actor=request.user, case=case, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{case.reference} reopened.")
            return redirect(case)
    return detail_response(request, case, reopen_form=form)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_edit(request: StaffRequest, case_id: int) -> HttpResponse:
    """Change a case's owner, follow-up date and note."""
    case = _advice_case(request, case_id)
    form = CaseEditForm(
        request.POST if request.method == "POST" else None,
        firm=request.firm,
        case=case,
        owners=firm_selectors.member_choices(firm=request.firm),
        initial=CaseEditForm.initial_for(case),
    )
    if form.is_bound and form.is_valid():
        try:
            case_services.case_update(
                firm=request.firm, actor=request.user, case=case, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Case details saved.")
            return redirect(case)
    return TemplateResponse(
        request, "advice/case_edit.html", {"case": case, "form": form}
    )
