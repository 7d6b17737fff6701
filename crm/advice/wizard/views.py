"""The New Case wizard's pages (SPEC E1-E9, seed 000).

``wizard_start`` opens the member's draft (or a new one pre-filled from a
client record or a lead); ``wizard_step`` shows one step and, on POST, keeps
what was typed and goes Next or Back; Create Case on the last step writes
everything and leads to ``wizard_done``.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from crm.advice.wizard import selectors, services
from crm.advice.wizard.steps import (
    ADVISER,
    FORMS,
    JOINT,
    MAIN,
    PRODUCT,
    STEP_BY_SLUG,
    STEPS,
    ApplicantForm,
    raw_values,
)
from crm.contacts import selectors as contact_selectors
from crm.core import sections
from crm.core.concurrency import AlreadySubmitted
from crm.core.exceptions import ApplicationError
from crm.core.forms_errors import already_submitted, apply_error
from crm.core.http import parse_id
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.leads import selectors as lead_selectors

STEP_TEMPLATE = "advice/wizard/wizard_step.html"


def _redirect_to(step: str) -> HttpResponse:
    return redirect("advice:wizard_step", step=step)


@require_GET
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def wizard_start(request: StaffRequest) -> HttpResponse:
    """Open the wizard: offer to continue a draft, or start one.

    A draft with progress is not reopened silently: the page says so, sums it
    up and offers Continue or Start again. ``?restart=1``, a client record's
    ``?contact=`` and a lead's ``?lead=`` start a new draft.
    """
    firm, user = request.firm, request.user
    lead_id = parse_id(request.GET.get("lead"))
    contact_id = parse_id(request.GET.get("contact"))
    draft = selectors.draft_get(firm=firm, user=user)
    fresh = lead_id or contact_id or request.GET.get("restart")
    if draft is not None and not fresh and selectors.draft_has_progress(draft):
        return TemplateResponse(
            request,
            "advice/wizard/wizard_resume.html",
            {"summary": selectors.draft_summary(firm=firm, draft=draft)},
        )
    if fresh or draft is None:
        lead = lead_selectors.lead_get(firm=firm, lead_id=lead_id) if lead_id else None
        contact = (
            contact_selectors.contact_get(firm=firm, contact_id=contact_id)
            if contact_id and lead is None
            else None
        )
        draft = services.draft_start(firm=firm, user=user, contact=contact, lead=lead)
    return _redirect_to(
        draft.get("current") or services.next_step(draft, None) or PRODUCT
    )


def _context(
    request: StaffRequest, draft: dict[str, Any], slug: str, form: Any
) -> dict[str, Any]:
    active = services.active_steps(draft)
    selected = None
    if isinstance(form, ApplicantForm):
        selected = form.selected or form.load_selected()
    valid = set(draft.get("valid", [])) | set(draft.get("prefilled", []))
    after_main = STEPS.index(STEP_BY_SLUG[slug]) > STEPS.index(STEP_BY_SLUG[MAIN])
    return {
        "form": form,
        "step": STEP_BY_SLUG[slug],
        "steps": [
            {
                "step": s,
                "active": s.slug in active,
                "current": s.slug == slug,
                "done": s.slug in active and s.slug in valid and s.slug != slug,
            }
            for s in STEPS
        ],
        "summary": (
            selectors.draft_summary(firm=request.firm, draft=draft)
            if after_main
            else None
        ),
        "total": len(STEPS),
        "previous": services.previous_step(draft, slug),
        "is_last": slug == ADVISER,
        "selected": selected,
        "lead_id": draft.get("lead"),
        "kind": draft.get("steps", {}).get(PRODUCT, {}).get("kind", ""),
    }


def _render(
    request: StaffRequest, draft: dict[str, Any], slug: str, form: Any
) -> TemplateResponse:
    template = STEP_TEMPLATE
    if request.htmx and not request.htmx.boosted:
        template += "#step_form"
    return TemplateResponse(request, template, _context(request, draft, slug, form))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def wizard_step(request: StaffRequest, step: str) -> HttpResponse:
    """Show one step; POST keeps the input and goes Next, Back or Create Case."""
    firm, user = request.firm, request.user
    draft = selectors.draft_get(firm=firm, user=user)
    if draft is None:
        return redirect("advice:wizard_start")
    if step not in STEP_BY_SLUG:
        raise Http404
    if step not in services.active_steps(draft):
        return _redirect_to(services.next_step(draft, PRODUCT) or PRODUCT)
    if request.method == "GET":
        if draft.get("current") != step:
            draft["current"] = step
            services.draft_save(firm=firm, user=user, data=draft)
        form = services.step_form(firm=firm, draft=draft, slug=step)
        return _render(request, draft, step, form)
    return _post(request, draft, step)


def _post(request: StaffRequest, draft: dict[str, Any], step: str) -> HttpResponse:
    firm, user = request.firm, request.user
    action = request.POST.get("action", "next")
    raw = raw_values(FORMS[step], request.POST)
    use_contact = parse_id(request.POST.get("use_contact"))
    if use_contact is not None and step in (MAIN, JOINT):
        raw = {"choice": ApplicantForm.EXISTING, "contact": str(use_contact)}
    draft["steps"][step] = raw
    draft["prefilled"] = [s for s in draft.get("prefilled", []) if s != step]
    if action == "back" or action == "refresh" or use_contact is not None:
        # Keep what is on the page without checking it.
        draft["valid"] = [s for s in draft.get("valid", []) if s != step]
        target = services.previous_step(draft, step) if action == "back" else step
        draft["current"] = target or step
        services.draft_save(firm=firm, user=user, data=draft)
        if action == "refresh":
            form = services.step_form(firm=firm, draft=draft, slug=step)
            return _render(request, draft, step, form)
        return _redirect_to(target or step)
    form = services.step_form(firm=firm, draft=draft, slug=step, data=request.POST)
    valid = form.is_valid()
    draft["valid"] = [s for s in draft.get("valid", []) if s != step] + (
        [step] if valid else []
    )
    following = services.next_step(draft, step) if valid else None
    draft["current"] = following or step
    if valid and following is None:
        # The last step: creating the case spends the draft, so it is saved
        # only if the case is not created (``_create``'s refusals).
        return _create(request, draft, (step, form))
    services.draft_save(firm=firm, user=user, data=draft)
    if not valid:
        return _render(request, draft, step, form)
    return _redirect_to(following or step)


def _create(
    request: StaffRequest, draft: dict[str, Any], checked: tuple[str, forms.Form]
) -> HttpResponse:
    firm, user = request.firm, request.user
    lead_id = parse_id(draft.get("lead"))
    lead = lead_selectors.lead_for_case(firm=firm, lead_id=lead_id) if lead_id else None
    try:
        case = services.wizard_create_case(
            firm=firm, actor=user, draft=draft, lead=lead, checked=checked
        )
    except AlreadySubmitted as exc:
        # A double click: the first post created the case and spent the draft.
        return already_submitted(request, exc, fallback="advice:case_list")
    except (ApplicationError, ValidationError) as exc:
        services.draft_save(firm=firm, user=user, data=draft)
        form = services.step_form(
            firm=firm, draft=draft, slug=ADVISER, data=draft["steps"][ADVISER]
        )
        form.is_valid()
        apply_error(form, exc)
        return _render(request, draft, ADVISER, form)
    if isinstance(case, tuple):
        services.draft_save(firm=firm, user=user, data=draft)
        slug, form = case
        messages.error(request, "Check this step before creating the case.")
        return _render(request, draft, slug, form)
    messages.success(request, f"Case {case.reference} created.")
    return redirect("advice:wizard_done", case_id=case.pk)


@require_GET
@staff_view(perm=Perm.EDIT_CASES, module="advice")
def wizard_done(request: StaffRequest, case_id: int) -> TemplateResponse:
    """Confirm the new case, with links to it and to its client(s).

    Apps add to the page through ``wizard.done`` sections (the portal's
    invite step, E8); a section may replace the confirmation card.
    """
    case = selectors.created_case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )
    try:
        case_url = case.get_absolute_url()
    except NoReverseMatch:  # the case page is another feature; link once it exists
        case_url = ""
    clients = [a.contact for a in case.applicants.all()]
    found = sections.gather(
        "wizard.done",
        firm=request.firm,
        kind=case.kind,
        case=case,
        clients=clients,
        principal=request.principal,
    )
    context = {
        "case": case,
        "case_url": case_url,
        "clients": clients,
        **found.context,
        "done_sections": found,
    }
    return TemplateResponse(request, "advice/wizard/wizard_done.html", context)
