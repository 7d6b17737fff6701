"""Case pages: the Cases list and its CSV export, a case's page, moves and edits.

The case's page moves a case through ``case_move`` and reopens it through
``case_reopen``; both answer with a redirect back to the page, or with the
page and the error when the service refuses.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.advice import rows, selectors, services
from crm.advice.choices import AdviceKind, AdviceStatus
from crm.advice.factfind import page as factfind_page
from crm.advice.factfind import selectors as factfind_selectors
from crm.advice.filters import CaseFilterSet
from crm.advice.forms import CaseEditForm, CaseReopenForm
from crm.advice.views import moves
from crm.cases import rows as case_rows
from crm.cases import selectors as case_selectors
from crm.cases import services as case_services
from crm.cases.models import Case
from crm.cases.selectors import documents as document_selectors
from crm.contacts.views.exports import csv_response
from crm.core import events, formdraw, sections
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.kept_plans import kept_plans
from crm.core.listing import Column, ListSpec, list_context
from crm.core.policies import staff_view
from crm.core.replica import replica_reads
from crm.core.rows import created_at
from crm.core.types import StaffRequest
from crm.firms import selectors as firm_selectors
from crm.firms.choices import Perm

PER_PAGE = 25
SECTION_LIMIT = 10
TABS = (("all", "All"), ("open", "Open"), ("closed", "Closed"))


def _can_edit(request: StaffRequest) -> bool:
    return request.membership.has_perm(Perm.EDIT_CASES)


def _advice_case(request: StaffRequest, case_id: int) -> Case:
    """Return a mortgage or protection case the member may see, or 404.

    Support cases have their own pages (``crm.support``).
    """
    return selectors.advice_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )


# The list

CASE_LIST = ListSpec(
    id="case",
    title="Cases",
    caption="Cases",
    filter_label="Filter cases",
    no_match="No cases match these filters",
    tabs=TABS,
    tabs_label="Case views",
    export_url="advice:case_export",
    columns=(
        Column(
            "Reference",
            "reference",
            "advice/case_list.html#reference",
            classes="nowrap",
            draw=case_rows.reference,
        ),
        Column(
            "Client", "client", "advice/case_list.html#client", draw=case_rows.clients
        ),
        Column("Kind", "kind", "advice/case_list.html#kind", draw=rows.kind),
        Column(
            "Status", "status", "advice/case_list.html#status", draw=case_rows.status
        ),
        Column("Owner", "owner", attr="owner", default="Unassigned"),
        Column(
            "Follow-up",
            "follow_up",
            "advice/case_list.html#follow_up",
            classes="nowrap",
            draw=rows.follow_up_cell,
        ),
        Column(
            "Created",
            "created",
            "advice/case_list.html#created",
            classes="nowrap",
            draw=created_at,
        ),
    ),
    empty_template="advice/case_list.html#empty",
    no_match_template="advice/case_list.html#no_match",
    notice_template="advice/case_list.html#notice",
    oob_fields=("status",),
)


@replica_reads
@require_GET
@vary_on_headers("HX-Request")
@staff_view(module="advice")
def case_list(request: StaffRequest) -> TemplateResponse:
    """List cases in All / Open / Closed tabs with filters, sort and search (D2)."""
    filterset = CaseFilterSet(request.GET or None, firm=request.firm)
    query = filterset.query()
    search = case_selectors.case_search(firm=request.firm, q=query.q)
    page = case_selectors.case_page(
        firm=request.firm,
        principal=request.principal,
        search=search,
        params=request.GET,
        per_page=PER_PAGE,
        **query.as_kwargs(),
    )
    case_selectors.attach_clients(page.items, firm=request.firm)
    leads = []
    if search is not None and not page.items:
        leads = selectors.leads_without_case(
            firm=request.firm, contact_ids=search.contact_ids
        )
    context = {
        **list_context(request.GET, spec=CASE_LIST, filterset=filterset, page=page),
        "search_capped": search.capped if search else False,
        "leads_without_case": leads,
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
    query = CaseFilterSet(request.GET or None, firm=request.firm).query()
    chunks = services.case_export(
        firm=request.firm,
        actor=request.user,
        principal=request.principal,
        **query.as_kwargs(),
    )
    filename = f"cases-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(chunks, filename=filename)


# A case's page


def _linked_reviews(case: Case) -> dict[str, Case | None]:
    """Return the Remortgage case opened from ``case`` and the case it follows."""
    if case.kind != AdviceKind.MORTGAGE:
        return {"review": None, "review_of": None}
    details = getattr(case, "mortgage", None)
    review = getattr(case, "remortgage_review", None)
    return {
        "review": review.case if review is not None else None,
        "review_of": details.review_of if details is not None else None,
    }


def _reopen_form_html(case: Case, form: CaseReopenForm | None) -> str:
    """Return ``{{ reopen_form }}`` for a closed case ("" for an open one).

    A refused form is drawn with its errors; a fresh one once per kind and
    language (``crm.core.formdraw``).
    """
    if case.is_open:
        return ""
    if form is not None:
        return mark_safe(str(form))  # noqa: S308 - Django's drawing of the form
    return formdraw.form_html(CaseReopenForm, prefix="id", initial={}, kind=case.kind)


def detail_response(
    request: StaffRequest,
    case: Case,
    *,
    move_error: str = "",
    reopen_form: CaseReopenForm | None = None,
    bound: tuple[int | None, str, forms.Form] | None = None,
) -> TemplateResponse:
    """Render the case's page, with a refused move's or reopen's error if any.

    ``bound`` is a Fact Find or D&N section's refused form (see
    ``crm.advice.factfind.page.facts_context``).
    """
    firm = request.firm
    applicants = list(case.applicants.all())
    facts = factfind_selectors.case_facts(
        firm=firm, case=case, applicants=applicants, joined=True
    )
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
        "reopen_form": reopen_form,
        "reopen_form_html": _reopen_form_html(case, reopen_form),
        "mortgage": getattr(case, "mortgage", None)
        if case.kind == AdviceKind.MORTGAGE
        else None,
        **_linked_reviews(case),
        "history": events.history_entries(
            case_selectors.case_history_rows(firm=firm, case=case),
            subject="case",
            variant=case.kind,
        ),
        **document_selectors.document_section(firm=firm, case=case),
        **factfind_page.facts_context(
            firm=firm, case=case, facts=facts, editable=_can_edit(request), bound=bound
        ),
    }
    found = sections.gather(
        "case.page",
        firm=firm,
        kind=case.kind,
        case=case,
        contact=main,
        principal=request.principal,
    )
    context.update(found.context, case_sections=found)
    return TemplateResponse(request, "advice/case_detail.html", context)


@kept_plans
@require_GET
@staff_view(module="advice")
def case_detail(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Show a case: clients, status and moves, details, tasks and history (D4)."""
    case = _advice_case(request, case_id)
    return detail_response(request, case)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_move(request: StaffRequest, case_id: int) -> HttpResponse:
    """Move a case to another stage from its page; a closing stage asks first."""
    case = _advice_case(request, case_id)
    status = request.POST.get("status", "")
    confirming = request.POST.get("step") == "confirm"

    def confirm(error: str = "") -> TemplateResponse:
        action = reverse("advice:case_move", kwargs={"case_id": case.pk})
        context = moves.confirm_context(
            request, case, status, action=action, back=case.get_absolute_url()
        )
        return moves.confirm_response(request, {**context, "error": error})

    if moves.needs_confirmation(case, status, request.POST):
        return confirm()
    try:
        case_services.case_move(
            firm=request.firm,
            actor=request.user,
            case=case,
            status=status,
            reason=request.POST.get("reason", ""),
        )
    except (ApplicationError, ValidationError) as exc:
        error = exc.message if isinstance(exc, ApplicationError) else exc.messages[0]
        return (
            confirm(error)
            if confirming
            else detail_response(request, case, move_error=error)
        )
    messages.success(request, moves.moved_notice(request, case, status))
    return redirect(case)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def case_reopen(request: StaffRequest, case_id: int) -> HttpResponse:
    """Reopen a closed case at an open stage, with a reason."""
    case = _advice_case(request, case_id)
    form = CaseReopenForm(request.POST, kind=case.kind)
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
        owners=firm_selectors.member_choices(firm=request.firm, owners_only=True),
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
