"""Demo leads: about forty at the advice firm, every status but Converted (C1, C2, C4).

Leads are made and moved through the services, so each has its history, its
client's timeline entries and audit events; their dates are then spread over
the last two months so the lists and histories look lived in. A lead becomes
Converted only when a case is opened from it (``crm.advice.demo`` does that
through ``case_create``), so no demo lead is Converted without its case.
"""

import random
from datetime import timedelta

from django.utils import timezone

from crm.contacts import services as contact_services
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact, ContactEvent
from crm.firms.choices import Role
from crm.firms.demo import ADVICE_FIRM, MIXED_FIRM
from crm.firms.models import Firm, Membership, Negotiator, User
from crm.leads import services
from crm.leads.choices import LeadSource, LeadStatus
from crm.leads.models import Lead, LeadEvent

S = LeadStatus

# Final status, how many demo leads end there, and the moves that get them there.
PLAN: tuple[tuple[LeadStatus, int, tuple[LeadStatus, ...]], ...] = (
    (S.NEW_LEAD, 9, ()),
    (S.CALL_BACK, 8, (S.CALL_BACK,)),
    (S.APPOINTMENT_SET, 7, (S.CALL_BACK, S.APPOINTMENT_SET)),
    (S.MEETING, 11, (S.APPOINTMENT_SET, S.MEETING)),
    (S.NOT_PROCEEDING, 5, (S.CALL_BACK, S.NOT_PROCEEDING)),
)
LEAD_COUNT = sum(count for _, count, _ in PLAN)

DIRECT_SOURCES = (
    LeadSource.WEBSITE,
    LeadSource.PHONE,
    LeadSource.REFERRAL,
    LeadSource.EXISTING_CLIENT,
    LeadSource.WALK_IN,
)
NOTES = (
    "First-time buyer; needs an agreement in principle before viewing.",
    "Remortgage: current two-year fix ends in the spring.",
    "Buying a second property to let; has a 25% deposit.",
    "Moving home and wants to know whether the mortgage can be ported.",
    "Self-employed for three years; accounts available.",
    "Asked about life and critical illness cover alongside the mortgage.",
    "Shared ownership purchase, 40% share.",
    "Wants to borrow more for a loft conversion.",
    "",
)
REASONS = (
    "Decided to stay with their current lender.",
    "Used the developer's own broker.",
    "Purchase fell through after the survey.",
    "No longer moving this year.",
    "Went direct to their bank.",
)
# Follow-up offsets in days from today: overdue, due today and coming up.
FOLLOW_UPS = (-9, -5, -2, -1, 0, 0, 1, 2, 3, 5, 7, 14, None)
FALLBACK_NAMES = (
    ("Amelia", "Hart"),
    ("Rohan", "Mistry"),
    ("Bethan", "Lloyd"),
    ("Kofi", "Asante"),
    ("Eleanor", "Fisher"),
    ("Marek", "Wisniewski"),
    ("Hollie", "Dawson"),
    ("Samir", "Haddad"),
)


def _clients(firm: Firm, actor: User, count: int) -> list[Contact]:
    """Return ``count`` people of the firm, adding demo people if there are fewer."""
    people = list(
        Contact.objects.filter(
            firm=firm, kind=ContactKind.PERSON, is_archived=False
        ).order_by("id")[:count]
    )
    for i in range(len(people), count):
        first, last = FALLBACK_NAMES[i % len(FALLBACK_NAMES)]
        people.append(
            contact_services.contact_create(
                firm=firm,
                actor=actor,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{i}@lead-demo.example".lower(),
            )
        )
    return people


def _backdate(lead: Lead, days_ago: int) -> None:
    """Spread the lead's creation and history over the last ``days_ago`` days."""
    start = timezone.now() - timedelta(days=days_ago, hours=3)
    history = list(LeadEvent.objects.filter(lead=lead).order_by("id"))
    timeline = list(
        ContactEvent.objects.filter(
            contact=lead.contact_id, link=lead.get_absolute_url()
        ).order_by("id")
    )
    step = timedelta(days=days_ago) / (len(history) + 1)
    Lead.objects.filter(pk=lead.pk).update(created_at=start)
    for i, event in enumerate(history):
        when = start + step * i
        LeadEvent.objects.filter(pk=event.pk).update(created_at=when)
        if i < len(timeline):
            ContactEvent.objects.filter(pk=timeline[i].pk).update(created_at=when)


# The mixed firm's two leads: (moves, follow-up in days). The first becomes a
# mortgage and then a protection case in the advice demo (C3).
MIXED_LEADS = (((S.APPOINTMENT_SET, S.MEETING), -2), ((), 0))


def _seed_mixed(firm: Firm) -> None:
    """Give the firm with both modules two leads, once: one to convert, one due."""
    if Lead.objects.filter(firm=firm).exists():
        return
    adviser = (
        Membership.objects.filter(firm=firm, role=Role.ADVISER, is_active=True)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    if adviser is None:
        return
    clients = _clients(firm, adviser.user, len(MIXED_LEADS))
    today = timezone.localdate()
    for index, (client, (path, offset)) in enumerate(
        zip(clients, MIXED_LEADS, strict=True)
    ):
        lead = services.lead_create(
            firm=firm,
            actor=adviser.user,
            contact=client,
            source=LeadSource.REFERRAL,
            owner=adviser.user,
            follow_up_date=today + timedelta(days=offset),
            notes=NOTES[index],
        )
        for status in path:
            services.lead_move(
                firm=firm, actor=adviser.user, lead=lead, status=status, reason=""
            )


def seed(firms: dict[str, Firm]) -> None:
    """Create the advice firms' demo leads; do nothing where a firm has leads."""
    if MIXED_FIRM in firms:
        _seed_mixed(firms[MIXED_FIRM])
    firm = firms[ADVICE_FIRM]
    if Lead.objects.filter(firm=firm).exists():
        return
    rng = random.Random(42)  # noqa: S311 - repeatable demo data, not security
    members = list(
        Membership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    advisers = [m.user for m in members if m.role == Role.ADVISER] or [
        m.user for m in members
    ]
    negotiators = list(
        Negotiator.objects.filter(firm=firm, is_active=True)
        .select_related("branch__introducer")
        .order_by("id")
    )
    clients = _clients(firm, advisers[0], LEAD_COUNT)
    rng.shuffle(clients)
    today = timezone.localdate()
    paths = [path for _final, count, path in PLAN for _ in range(count)]
    for client, path in zip(clients, paths, strict=True):
        adviser = rng.choice(advisers)
        negotiator = rng.choice(negotiators) if rng.random() < 0.4 else None
        offset = rng.choice(FOLLOW_UPS)
        lead = services.lead_create(
            firm=firm,
            actor=adviser,
            contact=client,
            source=LeadSource.INTRODUCER if negotiator else rng.choice(DIRECT_SOURCES),
            owner=adviser,
            introducer=negotiator.branch.introducer if negotiator else None,
            introducer_branch=negotiator.branch if negotiator else None,
            negotiator=negotiator,
            follow_up_date=today + timedelta(days=offset)
            if offset is not None
            else None,
            notes=rng.choice(NOTES),
        )
        for status in path:
            reason = rng.choice(REASONS) if status == S.NOT_PROCEEDING else ""
            services.lead_move(
                firm=firm, actor=adviser, lead=lead, status=status, reason=reason
            )
        _backdate(lead, rng.randint(len(path) + 2, 60))
