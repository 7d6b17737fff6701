"""Demo data protection records (SPEC M1-M4) in both demo firms.

- Consent histories: six clients gave marketing consent to last year's
  wording; three of them withdrew it this month under the current wording.
- A former client with no case whose last activity was three years ago:
  past the two-year "no case" period, so an owner can erase them.
"""

from datetime import timedelta

from django.utils import timezone

from crm.contacts import services as contact_services
from crm.contacts.choices import ConsentKind, ConsentSource, ContactKind
from crm.contacts.consent import MARKETING_VERSION
from crm.contacts.models import ConsentRecord, Contact
from crm.firms.demo import ADVICE_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, Membership

OLD_MARKETING_VERSION = "marketing-2025-01"
ERASABLE = {
    ADVICE_FIRM: ("Dennis", "Archer", "dennis.archer@example.com"),
    SUPPORT_FIRM: ("Maureen", "Pollard", "maureen.pollard@example.com"),
}


def _consents(firm: Firm, actor: object) -> None:
    if ConsentRecord.objects.filter(
        firm=firm, text_version=OLD_MARKETING_VERSION
    ).exists():
        return
    now = timezone.now()
    people = Contact.objects.filter(
        firm=firm, kind=ContactKind.PERSON, is_archived=False, erased_at__isnull=True
    ).order_by("id")[:6]
    for number, contact in enumerate(people):
        contact_services.consent_record(
            firm=firm,
            actor=actor,  # type: ignore[arg-type]  # a demo member
            contact=contact,
            kind=ConsentKind.MARKETING,
            given=True,
            text_version=OLD_MARKETING_VERSION,
            source=ConsentSource.STAFF,
            at=now - timedelta(days=400 - number),
        )
        if number % 2:
            contact_services.consent_record(
                firm=firm,
                actor=None,
                contact=contact,
                kind=ConsentKind.MARKETING,
                given=False,
                text_version=MARKETING_VERSION,
                source=ConsentSource.IMPORT,
                at=now - timedelta(days=20 - number),
            )


def _erasable(firm: Firm, actor: object, name: str) -> None:
    first, last, email = ERASABLE[name]
    if Contact.objects.filter(firm=firm, email=email).exists():
        return
    contact = contact_services.contact_create(
        firm=firm,
        actor=actor,  # type: ignore[arg-type]  # a demo member
        kind=ContactKind.PERSON,
        first_name=first,
        last_name=last,
        email=email,
        mobile="07700 900123",
        town="Bristol",
        notes="Former client; asked about a remortgage in 2023 and went elsewhere.",
        marketing_consent=True,
    )
    # Demo data only: set the last activity three years back, past the
    # two-year period for a client with no case.
    Contact.objects.filter(pk=contact.pk).update(
        updated_at=timezone.now() - timedelta(days=3 * 365 + 10)
    )


def seed(firms: dict[str, Firm]) -> None:
    """Add consent histories and an erasable former client to each demo firm."""
    for name in (ADVICE_FIRM, SUPPORT_FIRM):
        firm = firms.get(name)
        if firm is None:
            continue
        membership = (
            Membership.objects.filter(firm=firm).select_related("user").order_by("id")
        ).first()
        actor = membership.user if membership is not None else None
        _consents(firm, actor)
        _erasable(firm, actor, name)
