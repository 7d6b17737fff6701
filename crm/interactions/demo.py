"""Demo interactions and notes on contacts and leads of both firms."""

import random
from datetime import timedelta

from django.utils import timezone

from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.firms.choices import Perm
from crm.firms.demo import ADVICE_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, InteractionType, Membership, User
from crm.interactions import services
from crm.interactions.models import Interaction
from crm.leads.models import Lead

CONTACTS_WITH_HISTORY = 40
LEADS_WITH_HISTORY = 25

ADVICE_NOTES = (
    "Discussed their budget and the deposit from the sale of the flat.",
    "Client wants a five-year fix; looking at rates with two lenders.",
    "Left a voicemail; will try again tomorrow morning.",
    "Went through the protection needs: life cover and income protection.",
    "Sent the list of documents we still need.",
    "Client confirmed the offer on the house was accepted.",
    "Agreed to meet at the Bath office next week.",
)
SUPPORT_NOTES = (
    "Visited at home; the heating is fixed and the kitchen is usable again.",
    "Talked through the benefits letter and what it means.",
    "Client is feeling more settled since the last visit.",
    "Helped fill in the housing application together.",
    "Rang to check the food bank referral arrived.",
    "Client asked for help with the GP appointment next week.",
    "Daughter was present and agreed to help with shopping.",
)
NOTES = (
    "Prefers to be contacted by text message.",
    "Please check with the adviser before calling about fees.",
    "Has a hearing impairment: speak clearly or use e-mail.",
    "Works shifts; best reached on Thursdays.",
)


def _members(firm: Firm) -> list[User]:
    """Return the users of the firm's active members who may edit, by id."""
    memberships = (
        Membership.objects.filter(firm=firm, is_active=True)
        .select_related("user")
        .order_by("id")
    )
    return [m.user for m in memberships if m.has_perm(Perm.EDIT_CASES)]


def _seed_firm(firm: Firm, notes: tuple[str, ...], rng: random.Random) -> None:
    members = _members(firm)
    types = list(InteractionType.objects.filter(firm=firm, is_active=True))
    if not members or not types:
        return
    contacts = list(
        Contact.objects.filter(
            firm=firm, kind=ContactKind.PERSON, is_archived=False
        ).order_by("id")[:CONTACTS_WITH_HISTORY]
    )
    leads = list(
        Lead.objects.filter(firm=firm)
        .select_related("contact")
        .order_by("id")[:LEADS_WITH_HISTORY]
    )
    now = timezone.now()
    subjects: list[tuple[Contact | None, Lead | None]] = [(c, None) for c in contacts]
    subjects += [(None, lead) for lead in leads]
    for i, (contact, lead) in enumerate(subjects):
        for _ in range(rng.randint(1, 3)):
            services.interaction_log(
                firm=firm,
                actor=rng.choice(members),
                occurred_at=now
                - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8)),
                interaction_type=rng.choice(types),
                notes=rng.choice(notes),
                contact=contact,
                lead=lead,
            )
        if i % 4 == 0:
            services.note_add(
                firm=firm,
                actor=rng.choice(members),
                notes=rng.choice(NOTES),
                contact=contact,
                lead=lead,
            )


def seed(firms: dict[str, Firm]) -> None:
    """Create demo interactions and notes in both firms unless they have some."""
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    for name, notes in ((ADVICE_FIRM, ADVICE_NOTES), (SUPPORT_FIRM, SUPPORT_NOTES)):
        firm = firms[name]
        if not Interaction.objects.filter(firm=firm).exists():
            _seed_firm(firm, notes, rng)
