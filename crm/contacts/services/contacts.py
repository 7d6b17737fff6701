"""Creating, changing and archiving contacts (B1, B3)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.contacts.choices import ContactEventType, ContactKind
from crm.contacts.models import Contact
from crm.contacts.normalise import normalise_email, normalise_phone, search_name
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

CONTACT_FIELDS = (
    "kind",
    "title",
    "first_name",
    "last_name",
    "preferred_name",
    "organisation_name",
    "organisation",
    "job_title",
    "email",
    "mobile",
    "other_phone",
    "date_of_birth",
    "address_line1",
    "address_line2",
    "town",
    "county",
    "postcode",
    "notes",
    "marketing_consent",
)


class DuplicateContact(ApplicationError):
    """A contact with the same e-mail or mobile already exists (B3)."""

    def __init__(self, duplicates: list[Contact]) -> None:
        names = ", ".join(c.display_name for c in duplicates[:3])
        super().__init__(
            f"A contact with this e-mail or mobile already exists: {names}.",
            "duplicate",
            {"duplicates": [c.pk for c in duplicates]},
        )
        self.duplicates = duplicates


def apply_normalised(contact: Contact) -> None:
    """Fill the search columns of ``contact`` from its fields."""
    contact.email = normalise_email(contact.email)
    contact.postcode = contact.postcode.strip().upper()
    contact.email_norm = contact.email
    contact.mobile_norm = normalise_phone(contact.mobile)
    contact.phone_norm = normalise_phone(contact.other_phone)
    if contact.kind == ContactKind.ORGANISATION:
        contact.sort_name = search_name(contact.organisation_name)
        contact.search_name = search_name(contact.organisation_name)
    else:
        contact.sort_name = search_name(contact.last_name, contact.first_name)
        contact.search_name = search_name(
            contact.first_name, contact.last_name, contact.preferred_name
        )


def find_duplicates(
    *, firm: Firm, email: str, mobile: str, exclude_id: int | None = None
) -> list[Contact]:
    """Return the firm's contacts sharing the e-mail or mobile, each by its index."""
    found: dict[int, Contact] = {}
    lookups = []
    if email_norm := normalise_email(email):
        lookups.append({"email_norm": email_norm})
    if mobile_norm := normalise_phone(mobile):
        lookups.append({"mobile_norm": mobile_norm})
    for lookup in lookups:
        qs = Contact.objects.filter(firm=firm, **lookup)
        if exclude_id is not None:
            qs = qs.exclude(pk=exclude_id)
        for contact in qs.order_by("id")[:5]:
            found.setdefault(contact.pk, contact)
    return list(found.values())


MAX_PHONE_DIGITS = 15


def _validate(firm: Firm, contact: Contact) -> None:
    for field in ("mobile", "other_phone"):
        if len(normalise_phone(getattr(contact, field))) > MAX_PHONE_DIGITS:
            raise ApplicationError(
                "Enter a phone number of at most 15 digits.",
                "invalid",
                {"field": field},
            )
    if contact.kind == ContactKind.ORGANISATION:
        if not contact.organisation_name.strip():
            raise ApplicationError(
                "Enter the organisation's name.",
                "required",
                {"field": "organisation_name"},
            )
        contact.organisation = None
    elif not (contact.first_name.strip() or contact.last_name.strip()):
        raise ApplicationError(
            "Enter a first or last name.", "required", {"field": "first_name"}
        )
    org = contact.organisation
    if org is not None and (
        org.firm_id != firm.pk or org.kind != ContactKind.ORGANISATION
    ):
        raise ApplicationError(
            "Choose an organisation from this firm.",
            "invalid",
            {"field": "organisation"},
        )


@transaction.atomic
def contact_create(
    *,
    firm: Firm,
    actor: User | None,
    allow_duplicate: bool = False,
    **fields: Any,
) -> Contact:
    """Create a contact; refuse a duplicate e-mail or mobile unless confirmed (B3)."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    contact = Contact(firm=firm, created_by=actor, **fields)
    _validate(firm, contact)
    if not allow_duplicate:
        duplicates = find_duplicates(
            firm=firm, email=contact.email, mobile=contact.mobile
        )
        if duplicates:
            raise DuplicateContact(duplicates)
    if contact.marketing_consent:
        contact.marketing_consent_at = timezone.now()
    apply_normalised(contact)
    contact.full_clean()
    contact.save()
    created = {
        name: [None, value]
        for name, value in events.snapshot(contact, CONTACT_FIELDS).items()
        if value not in (None, "", False)
    }
    events.record(
        firm=firm,
        actor=actor,
        subject=contact,
        type=ContactEventType.CREATED,
        timeline=[contact],
        verb=AuditVerb.CREATE,
        changes=created,
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    allow_duplicate: bool = False,
    **fields: Any,
) -> Contact:
    """Change a contact's details; the timeline and audit log show what changed."""
    ensure_same_firm(firm, contact)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    before = events.snapshot(contact, CONTACT_FIELDS)
    for name, value in fields.items():
        setattr(contact, name, value)
    _validate(firm, contact)
    if not allow_duplicate and (
        normalise_email(contact.email) != before["email"]
        or normalise_phone(contact.mobile) != normalise_phone(before["mobile"])
    ):
        duplicates = find_duplicates(
            firm=firm, email=contact.email, mobile=contact.mobile, exclude_id=contact.pk
        )
        if duplicates:
            raise DuplicateContact(duplicates)
    if contact.marketing_consent and not before["marketing_consent"]:
        contact.marketing_consent_at = timezone.now()
    apply_normalised(contact)
    contact.full_clean()
    changes = events.diff(before, contact)
    if changes:
        contact.save()
        events.record(
            firm=firm,
            actor=actor,
            subject=contact,
            type=ContactEventType.UPDATED,
            timeline=[contact],
            summary=", ".join(name.replace("_", " ") for name in changes),
            timeline_params={"fields": sorted(changes)},
            verb=AuditVerb.UPDATE,
            changes=changes,
        )
    return contact


@transaction.atomic
def contact_set_archived(
    *, firm: Firm, actor: User | None, contact: Contact, archived: bool
) -> Contact:
    """Archive a contact (hidden from lists and pickers) or restore it.

    Contacts are never deleted while linked to leads or cases.
    """
    ensure_same_firm(firm, contact)
    if contact.is_archived == archived:
        return contact
    contact.is_archived = archived
    contact.save(update_fields=["is_archived", "updated_at"])
    events.record(
        firm=firm,
        actor=actor,
        subject=contact,
        type=ContactEventType.ARCHIVED if archived else ContactEventType.RESTORED,
        timeline=[contact],
        verb=AuditVerb.ARCHIVE if archived else AuditVerb.RESTORE,
        changes={"is_archived": [not archived, archived]},
    )
    return contact
