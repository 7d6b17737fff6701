"""Policies on a protection case's page, and the quote page (G1-G3).

Adding and removing a policy answer an htmx post with the policies section,
the readiness card and the live region; a plain post is redirected to the
case page (or, on an error, gets the policy form page). The quote page runs
a quote from the Fact Find and D&N; Select saves one as a policy, which a
case with a submitted or on-risk policy refuses (a top-up is a new case).
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from crm.advice import readiness
from crm.cases.models import Case
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.protection import selectors, services
from crm.protection.forms import PolicyForm, QuoteForm
from crm.protection.models import Policy
from crm.protection.quotes import quote_all
from crm.protection.registry import ADD_PREFIX, SECTION_ID

SECTION_RESPONSE = "protection/_policies_response.html"


def _is_htmx(request: StaffRequest) -> bool:
    return bool(request.htmx and not request.htmx.boosted)


def _section(
    request: StaffRequest,
    case: Case,
    *,
    form: PolicyForm | None = None,
    message: str = "",
    alert: str = "",
) -> TemplateResponse:
    """Return the policies section, the readiness card and the live message."""
    context = {
        "case": case,
        "can_edit": True,
        "policies": selectors.case_policies(firm=request.firm, case=case),
        "policy_form": form or PolicyForm(auto_id=f"{ADD_PREFIX}_%s"),
        "policy_message": message,
        "policy_alert": alert,
        "blockers": readiness.case_readiness(firm=request.firm, case=case),
    }
    return TemplateResponse(request, SECTION_RESPONSE, context)


def _back(case: Case, anchor: str = SECTION_ID) -> HttpResponse:
    return redirect(f"{case.get_absolute_url()}#{anchor}")


def _form_page(
    request: StaffRequest, case: Case, form: PolicyForm, policy: Policy | None = None
) -> TemplateResponse:
    context = {"case": case, "form": form, "policy": policy}
    return TemplateResponse(request, "protection/policy_form.html", context)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def policy_add(request: StaffRequest, case_id: int) -> HttpResponse:
    """Add a policy by hand from the case page (G1)."""
    case = selectors.protection_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    form = PolicyForm(request.POST, auto_id=f"{ADD_PREFIX}_%s")
    if form.is_valid():
        try:
            policy = services.policy_add(
                firm=request.firm, actor=request.user, case=case, data=form.to_data()
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            message = f"Policy added: {policy}."
            if _is_htmx(request):
                return _section(request, case, message=message)
            messages.success(request, message)
            return _back(case, policy.anchor)
    if _is_htmx(request):
        return _section(request, case, form=form)
    return _form_page(request, case, form)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def policy_edit(request: StaffRequest, policy_id: int) -> HttpResponse:
    """Change a policy's fields and status on its own page (G1)."""
    policy = selectors.policy_get(
        firm=request.firm, policy_id=policy_id, principal=request.principal
    )
    form = PolicyForm(
        request.POST if request.method == "POST" else None,
        initial=PolicyForm.initial_for(policy),
    )
    if form.is_bound and form.is_valid():
        try:
            services.policy_update(
                firm=request.firm,
                actor=request.user,
                policy=policy,
                data=form.to_data(),
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"Policy saved: {policy}.")
            return _back(policy.case, policy.anchor)
    return _form_page(request, policy.case, form, policy)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def policy_remove(request: StaffRequest, policy_id: int) -> HttpResponse:
    """Remove a policy that is not submitted or on risk (G1)."""
    policy = selectors.policy_get(
        firm=request.firm, policy_id=policy_id, principal=request.principal
    )
    case, label = policy.case, str(policy)
    try:
        services.policy_remove(firm=request.firm, actor=request.user, policy=policy)
    except ApplicationError as exc:
        if _is_htmx(request):
            return _section(request, case, alert=exc.message)
        messages.error(request, exc.message)
        return _back(case)
    message = f"Policy removed: {label}."
    if _is_htmx(request):
        return _section(request, case, message=message)
    messages.success(request, message)
    return _back(case)


SORTS = {
    "premium": (lambda q: (q.premium, q.provider), False),
    "-premium": (lambda q: (q.premium, q.provider), True),
    "provider": (lambda q: (q.provider, q.premium), False),
}


def _sort_headers(request: StaffRequest, sort: str) -> dict[str, dict[str, str]]:
    """Return each sortable column's link and aria-sort for the current sort."""
    params = request.GET.copy()
    headers = {}
    for column, (asc, desc) in {
        "premium": ("premium", "-premium"),
        "provider": ("provider", "provider"),
    }.items():
        params["sort"] = desc if sort == asc and asc != desc else asc
        aria = ""
        if sort == asc:
            aria = "ascending"
        elif sort == desc:
            aria = "descending"
        headers[column] = {"url": f"?{params.urlencode()}", "aria_sort": aria}
    return headers


def quote_response(
    request: StaffRequest, case: Case, *, data: Any = None
) -> TemplateResponse:
    """Render the quote page: what is missing, the form and the quotes."""
    facts = selectors.quote_facts(firm=request.firm, case=case)
    basis = selectors.quote_basis(facts=facts)
    form, quotes = QuoteForm(), []
    if basis.ready:
        form = QuoteForm(data or QuoteForm.initial_from(basis))
        if form.is_valid():
            wanted = basis.request(**form.cleaned_data)
            quotes = quote_all(wanted) if wanted is not None else []
    sort = request.GET.get("sort", "premium")
    if sort not in SORTS:
        sort = "premium"
    key, reverse_ = SORTS[sort]
    context = {
        "case": case,
        "basis": basis,
        "form": form,
        "quotes": sorted(quotes, key=key, reverse=reverse_),
        "sort": sort,
        "headers": _sort_headers(request, sort),
        "active_policy": selectors.has_active_policy(firm=request.firm, case=case),
        "can_edit": request.membership.has_perm(Perm.EDIT_CASES),
        "select_error": "",
        "top_up": False,
    }
    return TemplateResponse(request, "protection/quote.html", context)


@require_GET
@staff_view(module="advice")
def quote(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Run a quote across providers from the Fact Find and D&N (G2)."""
    case = selectors.protection_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    data = request.GET if "benefit_type" in request.GET else None
    return quote_response(request, case, data=data)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def quote_select(request: StaffRequest, case_id: int) -> HttpResponse:
    """Save the chosen quote to the case as a policy, unless it is a top-up (G3)."""
    case = selectors.protection_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    found = quote_response(request, case, data=request.POST)
    context = found.context_data or {}
    wanted = request.POST.get("quote", "")
    chosen = next((q for q in context["quotes"] if q.reference == wanted), None)
    if chosen is None:
        context["select_error"] = "That quote is no longer available: choose again."
        return found
    applicant = context["basis"].applicant
    try:
        policy = services.quote_select(
            firm=request.firm,
            actor=request.user,
            case=case,
            quote=chosen,
            lives_assured=applicant.contact.display_name if applicant else "",
        )
    except ApplicationError as exc:
        context["select_error"] = exc.message
        context["top_up"] = exc.code == "top_up"
        return found
    messages.success(
        request, f"Quote saved to the case: {policy}, £{policy.premium} a month."
    )
    return _back(case, policy.anchor)


@require_POST
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def top_up_case_create(request: StaffRequest, case_id: int) -> HttpResponse:
    """Open a new protection case for the same clients and adviser (G3)."""
    case = selectors.protection_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    new = services.top_up_case_create(firm=request.firm, actor=request.user, case=case)
    messages.success(
        request, f"{new.reference} opened for the top-up: run the quote on it."
    )
    form = QuoteForm(request.POST)
    query = f"?{urlencode(form.cleaned_data)}" if form.is_valid() else ""
    return redirect(reverse("protection:quote", kwargs={"case_id": new.pk}) + query)
