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

# Notes per interaction type, so a text message never reads as a home visit.
ADVICE_NOTES = {
    "Phone call": (
        "Left a voicemail; will try again tomorrow morning.",
        "Rang to go through the budget and the deposit from the sale of the flat.",
    ),
    "E-mail": (
        "Sent the list of documents we still need.",
        "Client e-mailed to say the offer on the house was accepted.",
    ),
    "Meeting": (
        "Went through the protection needs: life cover and income protection.",
        "Met at the Bath office; client wants a five-year fix.",
    ),
    "Video call": ("Compared rates from two lenders on screen with the client.",),
    "Letter": ("Posted the welcome letter and our terms of business.",),
}
SUPPORT_NOTES = {
    "Home visit": (
        "Visited at home; the heating is fixed and the kitchen is usable again.",
        "Daughter was at the visit and agreed to help with shopping.",
    ),
    "Phone call": (
        "Rang to check the food bank referral arrived.",
        "Client rang to ask for help with the GP appointment next week.",
    ),
    "E-mail": ("E-mailed the housing application with notes on each part.",),
    "Text message": ("Client texted to say they feel more settled this week.",),
    "Office appointment": (
        "Helped fill in the housing application together at the hub.",
        "Talked through the benefits letter and what it means.",
    ),
    "Meeting": ("Met at the community hub to talk through the benefits letter.",),
    "Video call": ("Went through the benefits letter together on a video call.",),
    "Letter": ("Wrote to confirm the next appointment and who to call meanwhile.",),
}
OTHER_NOTES = ("Caught up with the client and agreed the next step.",)
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


def _seed_firm(
    firm: Firm, notes: dict[str, tuple[str, ...]], rng: random.Random
) -> None:
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
            actor = rng.choice(members)
            ago = timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
            kind = rng.choice(types)
            services.interaction_log(
                firm=firm,
                actor=actor,
                occurred_at=now - ago,
                interaction_type=kind,
                notes=rng.choice(notes.get(kind.name, OTHER_NOTES)),
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
