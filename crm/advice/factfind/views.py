"""Saving the Fact Find and Demands & Needs sections of a case's page (F1, F2).

Each section's form posts here. An htmx request gets the section back (with
the errors and what was typed, or saved and re-checked), the readiness card
and the live region's message out of band; a plain post is redirected to the
section with a message, or on an error gets the whole page with the form.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from crm.advice import readiness, selectors
from crm.advice.factfind import page, services
from crm.advice.factfind import selectors as ff_selectors
from crm.advice.factfind.forms import RemoveRowForm
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND
from crm.advice.views.cases import detail_response
from crm.cases.models import Case, CaseApplicant
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import apply_error
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm

SECTION_TEMPLATE = "advice/_ff_section_response.html"


def _respond(
    request: StaffRequest,
    case: Case,
    applicant: CaseApplicant | None,
    key: str,
    *,
    form: forms.Form | None = None,
    message: str = "",
    alert: str = "",
) -> HttpResponse:
    """Answer a section's post: the section for htmx, else the page or a redirect."""
    failed = bool(alert) or (form is not None and form.errors)
    owner = applicant.pk if applicant is not None else None
    if not (request.htmx and not request.htmx.boosted):
        if failed and form is not None:
            return detail_response(request, case, bound=(owner, key, form))
        if alert:
            messages.error(request, alert)
        else:
            messages.success(request, message)
        return redirect(f"{case.get_absolute_url()}#{readiness.section_id(owner, key)}")
    facts = ff_selectors.case_facts(firm=request.firm, case=case)
    if applicant is not None:
        applicant = next(a for a in facts.applicants if a.pk == applicant.pk)
    section = page.section_context(
        facts,
        key,
        applicant=applicant,
        editable=True,
        form=form if failed else None,
        message=message,
        alert=alert,
    )
    context = {
        "case": case,
        "section": section,
        "applicant": applicant,
        "blockers": readiness.blockers_of(firm=request.firm, case=case, facts=facts),
    }
    return TemplateResponse(request, SECTION_TEMPLATE, context)


def _message(exc: ApplicationError | ValidationError) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    return " ".join(exc.messages)


def _applicant(request: StaffRequest, applicant_id: int) -> CaseApplicant:
    return ff_selectors.applicant_get(
        firm=request.firm, applicant_id=applicant_id, principal=request.principal
    )


def _saved(section: str, applicant: CaseApplicant | None) -> str:
    if applicant is None:
        return f"{section} saved."
    return f"{section} saved for {applicant.contact.display_name}."


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def fact_find_save(request: StaffRequest, applicant_id: int, section: str) -> Any:
    """Save one section of a client's Fact Find from the case's page."""
    applicant = _applicant(request, applicant_id)
    spec = FACT_FIND[section]
    form = spec.form(request.POST, id_prefix=f"ff{applicant.pk}")
    if form.is_valid():
        try:
            services.fact_find_update(
                firm=request.firm,
                actor=request.user,
                contact=applicant.contact,
                case=applicant.case,
                section=section,
                data=form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            message = _saved(spec.title, applicant)
            return _respond(
                request, applicant.case, applicant, section, message=message
            )
    return _respond(request, applicant.case, applicant, section, form=form)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def fact_find_row_add(request: StaffRequest, applicant_id: int, section: str) -> Any:
    """Add an address, a commitment or an existing policy to a client's Fact Find."""
    applicant = _applicant(request, applicant_id)
    spec = FACT_FIND[section]
    form = spec.form(request.POST, id_prefix=f"ff{applicant.pk}")
    if form.is_valid():
        try:
            row = services.fact_find_row_add(
                firm=request.firm,
                actor=request.user,
                contact=applicant.contact,
                case=applicant.case,
                section=section,
                data=form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            message = f"{spec.noun.capitalize()} added: {row}."
            return _respond(
                request, applicant.case, applicant, section, message=message
            )
    return _respond(request, applicant.case, applicant, section, form=form)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def fact_find_row_remove(request: StaffRequest, applicant_id: int, section: str) -> Any:
    """Remove one row of a client's addresses, commitments or existing policies."""
    applicant = _applicant(request, applicant_id)
    spec = FACT_FIND[section]
    form = RemoveRowForm(request.POST)
    if not form.is_valid() or form.cleaned_data["row"] is None:
        return _respond(
            request, applicant.case, applicant, section, alert="Choose an entry."
        )
    try:
        row = services.fact_find_row_remove(
            firm=request.firm,
            actor=request.user,
            contact=applicant.contact,
            case=applicant.case,
            section=section,
            row_id=form.cleaned_data["row"],
        )
    except (ApplicationError, ValidationError) as exc:
        return _respond(
            request, applicant.case, applicant, section, alert=_message(exc)
        )
    message = f"{spec.noun.capitalize()} removed: {row}."
    return _respond(request, applicant.case, applicant, section, message=message)


@require_POST
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def demands_needs_save(request: StaffRequest, case_id: int, section: str) -> Any:
    """Save one part of a case's Demands & Needs from its page."""
    case = selectors.advice_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    if section not in services.DN_PARTS.get(case.kind, ()):
        msg = "This case has no such Demands & Needs part."
        raise BadRequest(msg)
    spec = DEMANDS_NEEDS[section]
    form = spec.form(request.POST, id_prefix="dn")
    if form.is_valid():
        try:
            services.demands_needs_update(
                firm=request.firm,
                actor=request.user,
                case=case,
                section=section,
                data=form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            return _respond(
                request, case, None, section, message=_saved(spec.title, None)
            )
    return _respond(request, case, None, section, form=form)
