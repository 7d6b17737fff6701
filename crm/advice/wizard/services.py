"""Writes of the New Case wizard: the draft, preferences and Create Case (E1, E7).

The draft holds, per step, the strings that were on the page
(``{"steps": {slug: {...}}, "valid": [...], "prefilled": [...], "lead": id,
"once": token}``); nothing but the draft row is written until Create Case,
which spends the draft's one-time token and consumes the draft in its
transaction, so a double click creates one case (A10).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from crm.advice.choices import AdviceKind, AdviceStatus, ApplicantMode, MortgageType
from crm.advice.models import WizardDraft, WizardPreference
from crm.advice.wizard import selectors
from crm.advice.wizard.steps import (
    ADVISER,
    FORMS,
    INTRODUCER,
    JOINT,
    MAIN,
    PRODUCT,
    STEPS,
    ApplicantForm,
    Person,
)
from crm.cases.models import Case
from crm.cases.services import NewCase, case_create
from crm.contacts import services as contact_services
from crm.contacts.models import Contact
from crm.core import concurrency
from crm.core.transactions import all_or_nothing
from crm.firms.models import Firm, Introducer, IntroducerBranch, Negotiator, User
from crm.leads.models import Lead

MAX_FOLLOW_UP_DAYS = 365


# The draft


def active_steps(draft: dict[str, Any]) -> list[str]:
    """Return the slugs of the steps this draft goes through, in order."""
    joint = draft.get("steps", {}).get(PRODUCT, {}).get("mode") == ApplicantMode.JOINT
    return [s.slug for s in STEPS if s.slug != JOINT or joint]


def next_step(draft: dict[str, Any], after: str | None) -> str | None:
    """Return the step after ``after`` (or the first), skipping pre-filled ones."""
    steps = active_steps(draft)
    start = steps.index(after) + 1 if after in steps else 0
    prefilled = set(draft.get("prefilled", []))
    for slug in steps[start:]:
        if slug not in prefilled:
            return slug
    return None


def previous_step(draft: dict[str, Any], before: str) -> str | None:
    """Return the step shown before ``before``, or None on the first step."""
    steps = active_steps(draft)
    index = steps.index(before) if before in steps else 0
    return steps[index - 1] if index > 0 else None


def draft_save(*, firm: Firm, user: User, data: dict[str, Any]) -> WizardDraft:
    """Keep the member's half-filled wizard so a reload or Back keeps it.

    One upsert (``INSERT … ON CONFLICT DO UPDATE``), not a read then a write:
    posts of the same step at once (a double click racing Create Case, which
    deletes the draft) must not trip over each other's row (A10).
    """
    (draft,) = WizardDraft.objects.bulk_create(
        [WizardDraft(firm=firm, user=user, data=data)],
        update_conflicts=True,
        unique_fields=["firm", "user"],
        update_fields=["data", "updated_at"],
    )
    return draft


def draft_clear(*, firm: Firm, user: User) -> None:
    """Forget the member's half-filled wizard."""
    WizardDraft.objects.filter(firm=firm, user=user).delete()


def draft_start(
    *,
    firm: Firm,
    user: User,
    contact: Contact | None = None,
    lead: Lead | None = None,
) -> dict[str, Any]:
    """Start a new draft, pre-filled from preferences and the entry point (E7, E9).

    A lead fills the client and its adviser and introducer chain; a client
    record fills the client. The main applicant then counts as done.
    """
    steps: dict[str, dict[str, str]] = {
        PRODUCT: {"kind": AdviceKind.MORTGAGE, "mode": ApplicantMode.SINGLE},
        ADVISER: {"status": AdviceStatus.NEW_LEAD, "owner": str(user.pk)},
    }
    preference = selectors.preference_get(firm=firm, user=user)
    if preference is not None:
        steps[INTRODUCER] = _ids(
            introducer=preference.introducer_id,
            introducer_branch=preference.introducer_branch_id,
            negotiator=preference.negotiator_id,
        )
        if preference.adviser_id:
            steps[ADVISER]["owner"] = str(preference.adviser_id)
        if preference.follow_up_days is not None:
            when = timezone.localdate() + timedelta(days=preference.follow_up_days)
            steps[ADVISER]["follow_up_date"] = when.isoformat()
    prefilled = []
    if lead is not None:
        contact = lead.contact
        steps[INTRODUCER] = _ids(
            introducer=lead.introducer_id,
            introducer_branch=lead.introducer_branch_id,
            negotiator=lead.negotiator_id,
        )
        if lead.owner_id:
            steps[ADVISER]["owner"] = str(lead.owner_id)
    if contact is not None:
        steps[MAIN] = {"choice": ApplicantForm.EXISTING, "contact": str(contact.pk)}
        prefilled.append(MAIN)
    data = {
        "steps": steps,
        "valid": [],
        "prefilled": prefilled,
        "lead": lead.pk if lead is not None else None,
        "once": concurrency.new_token(),
    }
    draft_save(firm=firm, user=user, data=data)
    return data


def _ids(**ids: int | None) -> dict[str, str]:
    return {name: str(pk) for name, pk in ids.items() if pk is not None}


def step_form(
    *,
    firm: Firm,
    draft: dict[str, Any],
    slug: str,
    data: Any = None,
    known: Contact | None = None,
) -> forms.Form:
    """Return ``slug``'s form, bound to ``data`` or showing the draft's values.

    ``known`` is a client the caller has read already (the lead's): an
    applicant step that names them does not read them again.
    """
    kwargs: dict[str, Any] = {"firm": firm}
    if slug == JOINT:
        kwargs["main"] = main_person(firm=firm, draft=draft)
    if slug in (MAIN, JOINT):
        kwargs["known"] = known
    initial = draft.get("steps", {}).get(slug, {})
    if data is None:
        return FORMS[slug](initial=initial, **kwargs)
    return FORMS[slug](data, **kwargs)


def main_person(*, firm: Firm, draft: dict[str, Any]) -> Person | None:
    """Return who the draft's main applicant is, for the joint step's check."""
    form = ApplicantForm(draft.get("steps", {}).get(MAIN, {}), firm=firm)
    return form.person() if form.is_valid() else None


# Create Case


@dataclass
class Applicant:
    """A client for the case: an existing contact, or one to create."""

    contact: Contact | None = None
    new_fields: dict[str, Any] = field(default_factory=dict)
    allow_duplicate: bool = False
    # The step's form searched for duplicates in Create Case's transaction.
    duplicates_searched: bool = False


@dataclass
class WizardPlan:
    """Everything Create Case writes, from a draft whose steps are all valid."""

    kind: str
    mortgage_type: str
    mode: str
    note: str
    offer_qualified: bool
    applicants: list[Applicant]
    introducer: Introducer | None
    introducer_branch: IntroducerBranch | None
    negotiator: Negotiator | None
    owner: User
    status: str
    follow_up_date: date | None
    lead: Lead | None = None


def draft_plan(
    *,
    firm: Firm,
    draft: dict[str, Any],
    lead: Lead | None,
    checked: tuple[str, forms.Form] | None = None,
) -> WizardPlan | tuple[str, forms.Form]:
    """Validate every step of ``draft`` again and return the plan.

    The first step that no longer validates is returned with its bound form,
    so the member sees what to fix. ``checked`` is a step and its form, bound
    to what this request posted and valid (the last step's): it is not
    validated twice (what it checked, Create Case checks again: that the
    adviser may own cases, from this request's read of them).
    """
    cleaned: dict[str, dict[str, Any]] = {}
    applicants = []
    for slug in active_steps(draft):
        if checked is not None and checked[0] == slug:
            form = checked[1]
        else:
            form = step_form(
                firm=firm,
                draft=draft,
                slug=slug,
                data=draft["steps"].get(slug, {}),
                known=lead.contact if lead is not None else None,
            )
        if not form.is_valid():
            return slug, form
        cleaned[slug] = form.cleaned_data
        if isinstance(form, ApplicantForm):
            contact = form.cleaned_data["contact"]
            applicants.append(
                Applicant(
                    contact=contact,
                    new_fields={} if contact else form.new_client_fields(),
                    allow_duplicate=bool(form.cleaned_data.get("confirm_new")),
                    # Searched now, in Create Case's transaction (not a
                    # form this request validated before it).
                    duplicates_searched=contact is None
                    and (checked is None or form is not checked[1]),
                )
            )
    product, chain, adviser = cleaned[PRODUCT], cleaned[INTRODUCER], cleaned[ADVISER]
    return WizardPlan(
        kind=product["kind"],
        mortgage_type=product["mortgage_type"],
        mode=product["mode"],
        note=product["note"],
        offer_qualified=product["offer_qualified"],
        applicants=applicants,
        introducer=chain.get("introducer"),
        introducer_branch=chain.get("introducer_branch"),
        negotiator=chain.get("negotiator"),
        owner=adviser["owner"],
        status=adviser["status"],
        follow_up_date=adviser["follow_up_date"],
        lead=lead,
    )


@all_or_nothing()
def wizard_create_case(
    *,
    firm: Firm,
    actor: User,
    draft: dict[str, Any],
    lead: Lead | None,
    checked: tuple[str, forms.Form] | None = None,
) -> Case | tuple[str, forms.Form]:
    """Create the new clients and the case from the member's draft, in one
    transaction, and remember the member's choices (E6, E7).

    The draft is spent before anything is read (A10): its one-time token, so
    a second post of the same draft waits for the first and is then sent to
    the case it created, and the draft row, deleted in the same transaction.
    A step that no longer validates is returned with its bound form, and the
    draft and token are kept (rolled back) for the member to fix it. Every
    refusal ends the whole transaction (the view draws the step again), so
    the contact and case services join it without savepoints
    (``all_or_nothing``).
    ``checked`` is the step validated by this request, with its form (``draft_plan``).
    """
    once = str(draft.get("once") or "")
    concurrency.spend_token(firm=firm, token=once, purpose="wizard")
    consumed, _ = WizardDraft.objects.filter(firm=firm, user=actor).delete()
    if not consumed:
        raise concurrency.AlreadySubmitted(purpose="wizard")
    plan = draft_plan(firm=firm, draft=draft, lead=lead, checked=checked)
    if isinstance(plan, tuple):
        transaction.set_rollback(True)
        return plan
    contacts = []
    for applicant in plan.applicants:
        contact = applicant.contact
        if contact is None:
            contact = contact_services.contact_create(
                firm=firm,
                actor=actor,
                allow_duplicate=applicant.allow_duplicate,
                duplicates_searched=applicant.duplicates_searched,
                **applicant.new_fields,
            )
        contacts.append(contact)
    case = case_create(
        firm=firm,
        actor=actor,
        data=NewCase(
            kind=plan.kind,
            applicants=contacts,
            owner=plan.owner,
            status=plan.status,
            follow_up_date=plan.follow_up_date,
            note=plan.note,
            introducer=plan.introducer,
            introducer_branch=plan.introducer_branch,
            negotiator=plan.negotiator,
            lead=plan.lead,
            details={
                "offer_qualified": plan.offer_qualified,
                "mortgage_type": plan.mortgage_type or MortgageType.RESIDENTIAL,
            },
        ),
    )
    preference_save(
        firm=firm,
        user=actor,
        adviser=plan.owner,
        introducer=plan.introducer,
        introducer_branch=plan.introducer_branch,
        negotiator=plan.negotiator,
        follow_up_date=plan.follow_up_date,
    )
    try:
        url = reverse("advice:wizard_done", kwargs={"case_id": case.pk})
    except NoReverseMatch:  # the wizard's pages are not mounted (service tests)
        url = ""
    concurrency.token_result(firm=firm, token=once, url=url)
    return case


def preference_save(
    *,
    firm: Firm,
    user: User,
    adviser: User | None,
    introducer: Introducer | None,
    introducer_branch: IntroducerBranch | None,
    negotiator: Negotiator | None,
    follow_up_date: date | None,
) -> None:
    """Remember the member's adviser, introducer chain and follow-up (E7).

    The follow-up is kept as "in N days" from today, so it moves with time.
    One UPDATE once the member has a preference row (``update_or_create``
    reads it first, under a savepoint: four statements).
    """
    days = None
    if follow_up_date is not None:
        days = min(
            max((follow_up_date - timezone.localdate()).days, 0), MAX_FOLLOW_UP_DAYS
        )
    values = {
        "adviser": adviser,
        "introducer": introducer,
        "introducer_branch": introducer_branch,
        "negotiator": negotiator,
        "follow_up_days": days,
    }
    if not WizardPreference.objects.filter(firm=firm, user=user).update(**values):
        WizardPreference.objects.update_or_create(firm=firm, user=user, defaults=values)
