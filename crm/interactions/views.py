"""Logging interactions on a contact, a lead or a case, and adding notes (J2, I7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.contacts.models import Contact
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.forms_errors import apply_error
from crm.core.http import parse_id, safe_next_url
from crm.core.policies import staff_view
from crm.core.types import StaffRequest
from crm.firms.choices import Perm
from crm.interactions import selectors, services
from crm.interactions.forms import InteractionForm, NoteForm
from crm.leads import selectors as lead_selectors
from crm.leads.models import Lead


def _subject(request: StaffRequest) -> tuple[Contact | None, Lead | None]:
    """Return the contact or lead the entry is about, through the selectors (404).

    GET names it in the URL; POST in a hidden input. Exactly one is needed.
    """
    data: QueryDict = request.POST if request.method == "POST" else request.GET
    contact_value, lead_value = data.get("contact", ""), data.get("lead", "")
    if (lead_id := parse_id(lead_value)) is not None and not contact_value:
        return None, lead_selectors.lead_get(firm=request.firm, lead_id=lead_id)
    if (contact_id := parse_id(contact_value)) is not None and not lead_value:
        contact = contact_selectors.contact_get(
            firm=request.firm, contact_id=contact_id
        )
        return contact, None
    raise NotFound


def _case(request: StaffRequest) -> Case | None:
    """Return the case named by ``case`` (GET or POST), through the selectors (404)."""
    data: QueryDict = request.POST if request.method == "POST" else request.GET
    value = data.get("case", "")
    if not value:
        return None
    case_id = parse_id(value)
    if case_id is None:
        raise NotFound
    return case_selectors.case_get(
        firm=request.firm, case_id=case_id, principal=request.principal
    )


def _done(request: StaffRequest, contact: Contact | None, lead: Lead | None) -> str:
    """Return where to go after saving: ``next``, else the contact or lead page."""
    if wanted := safe_next_url(request):
        return wanted
    if lead is not None:
        return lead.get_absolute_url()
    return contact.get_absolute_url() if contact is not None else "/"


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def interaction_create(request: StaffRequest) -> HttpResponse:
    """Log a call, visit, e-mail or meeting on a contact, a lead or a case."""
    case = _case(request)
    if case is not None and not case.is_open and request.method == "GET":
        messages.error(request, "This case is closed. Reopen it to log an interaction.")
        return redirect(case)
    contact, lead = (None, None) if case else _subject(request)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = InteractionForm(
        request.POST if request.method == "POST" else None,
        initial={"occurred_at": now},
        types=selectors.interaction_type_choices(firm=request.firm),
    )
    if form.is_bound and form.is_valid():
        try:
            entry = services.interaction_log(
                firm=request.firm,
                actor=request.user,
                contact=contact,
                lead=lead,
                case=case,
                **form.cleaned_data,
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, f"{entry.interaction_type} logged.")
            done = case.get_absolute_url() if case else _done(request, contact, lead)
            return redirect(safe_next_url(request) or done)
    context = {
        "form": form,
        "contact": contact,
        "lead": lead,
        "case": case,
        "next": safe_next_url(request),
    }
    return TemplateResponse(request, "interactions/interaction_create.html", context)


@require_http_methods(["GET", "POST"])
@staff_view(perm=Perm.EDIT_CASES)
def note_create(request: StaffRequest) -> HttpResponse:
    """Add a note to a contact, a lead or an open case."""
    case = _case(request)
    if case is not None and not case.is_open and request.method == "GET":
        messages.error(request, "This case is closed. Reopen it to add a note.")
        return redirect(case)
    contact, lead = (None, None) if case else _subject(request)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.note_add(
                firm=request.firm,
                actor=request.user,
                contact=contact,
                lead=lead,
                case=case,
                notes=form.cleaned_data["notes"],
            )
        except (ApplicationError, ValidationError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, "Note added.")
            done = case.get_absolute_url() if case else _done(request, contact, lead)
            return redirect(safe_next_url(request) or done)
    context = {
        "form": form,
        "contact": contact,
        "lead": lead,
        "case": case,
        "next": safe_next_url(request),
    }
    return TemplateResponse(request, "interactions/note_create.html", context)
