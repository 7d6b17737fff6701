"""Creating, changing and archiving contacts (B1, B3)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.contacts import renames
from crm.contacts.choices import (
    ConsentKind,
    ConsentSource,
    ContactEventType,
    ContactKind,
)
from crm.contacts.consent import MARKETING_VERSION
from crm.contacts.models import Contact
from crm.contacts.normalise import normalise_email, normalise_phone, search_name
from crm.contacts.services.consents import consent_row
from crm.core import concurrency, events, kept_insert, validation
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.core.transactions import service_atomic
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
# Safeguarding marks (SPEC I14): set by the same forms and services, but not
# columns of imports or exports.
SAFETY_FIELDS = (
    "address_unsafe",
    "address_unsafe_reason",
    "phone_unsafe",
    "phone_unsafe_reason",
)
EDITABLE_FIELDS = (*CONTACT_FIELDS, *SAFETY_FIELDS)


class DuplicateContact(ApplicationError):
    """A contact with the same e-mail or mobile already exists (B3)."""

    def __init__(self, duplicates: list[Contact], *, email: str = "") -> None:
        names = ", ".join(c.display_name for c in duplicates[:3])
        super().__init__(
            f"A contact with this e-mail or mobile already exists: {names}.",
            "duplicate",
            {"duplicates": [c.pk for c in duplicates]},
        )
        self.duplicates = duplicates
        # True when one of them has the e-mail: a separate record then needs
        # another e-mail or none (A10).
        self.shares_email = bool(email) and any(
            c.email_norm == email for c in duplicates
        )


class EmailTaken(ApplicationError):
    """Another contact of the firm has this e-mail address (A10)."""

    def __init__(self, holder: Contact | None) -> None:
        name = holder.display_name if holder is not None else "Another contact"
        super().__init__(
            f"{name} already has this e-mail address, and two contacts cannot "
            "share one. Use the existing record, or leave the e-mail blank to "
            "create a separate one.",
            "email_taken",
            {"field": "email", "holder": holder.pk if holder is not None else None},
        )
        self.holder = holder


def email_holder(
    *, firm: Firm, email: str, exclude_id: int | None = None
) -> Contact | None:
    """Return the firm's contact that has ``email`` (any case), if any."""
    email_norm = normalise_email(email)
    if not email_norm:
        return None
    qs = Contact.objects.filter(firm=firm, email_norm=email_norm)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("id").first()


def _save_keyed(
    firm: Firm, contact: Contact, *, email_changed: bool, email_free: bool = False
) -> None:
    """Save ``contact``; a changed e-mail takes the firm's unique e-mail key.

    The check before the save gives the message (skipped when ``email_free``:
    the caller's duplicate search, in this transaction, found no one with the
    e-mail); the constraint decides a race, and the caller's transaction
    carries on to report it: a new row is inserted unless the key is taken,
    in one statement (``kept_insert``, ``ON CONFLICT DO NOTHING``), a changed
    one saved in a savepoint.
    """
    if email_changed:
        if not email_free and (
            holder := email_holder(
                firm=firm, email=contact.email_norm, exclude_id=contact.pk
            )
        ):
            raise EmailTaken(holder)
        contact.email_key = contact.email_norm or None
    if contact.pk is None:
        # With no key (no e-mail) there is nothing to race for.
        if not kept_insert.insert(contact, skip_conflict=contact.email_key is not None):
            raise EmailTaken(
                email_holder(firm=firm, email=contact.email_norm, exclude_id=None)
            )
        return
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError as exc:
        raise EmailTaken(
            email_holder(firm=firm, email=contact.email_norm, exclude_id=contact.pk)
        ) from exc


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


def _validate_safety(contact: Contact) -> None:
    """Require a reason for each "not safe to contact" mark; drop it when cleared."""
    for mark in ("address_unsafe", "phone_unsafe"):
        reason = f"{mark}_reason"
        setattr(contact, reason, getattr(contact, reason).strip())
        if not getattr(contact, mark):
            setattr(contact, reason, "")
        elif not getattr(contact, reason):
            raise ApplicationError(
                "Say why it is not safe to contact them there.",
                "required",
                {"field": reason},
            )


def _validate(firm: Firm, contact: Contact) -> None:
    _validate_safety(contact)
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


def _marketing_consent(
    firm: Firm, actor: User | None, contact: Contact, source: str
) -> None:
    consent_row(
        firm=firm,
        actor=actor,
        contact=contact,
        kind=ConsentKind.MARKETING,
        given=contact.marketing_consent,
        text_version=MARKETING_VERSION,
        source=source,
    )


@service_atomic
def contact_create(
    *,
    firm: Firm,
    actor: User | None,
    allow_duplicate: bool = False,
    duplicates_searched: bool = False,
    consent_source: str = ConsentSource.STAFF,
    **fields: Any,
) -> Contact:
    """Create a contact; refuse a duplicate e-mail or mobile unless confirmed (B3).

    ``duplicates_searched``: the caller ran ``find_duplicates`` for this
    e-mail and mobile in this transaction and settled what it found (none,
    or a shared mobile confirmed; never a shared e-mail), so it is not run
    again; the e-mail's unique key still decides a race. A marketing consent
    given is recorded with its wording's version and ``consent_source`` (M4).
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    contact = Contact(firm=firm, created_by=actor, **fields)
    _validate(firm, contact)
    if not allow_duplicate and not duplicates_searched:
        duplicates = find_duplicates(
            firm=firm, email=contact.email, mobile=contact.mobile
        )
        if duplicates:
            raise DuplicateContact(duplicates, email=normalise_email(contact.email))
    if contact.marketing_consent:
        contact.marketing_consent_at = timezone.now()
    apply_normalised(contact)
    # The firm and the actor are rows the caller holds: not read again.
    validation.full_clean(contact, held=("firm", "created_by"))
    # No duplicate found: no one holds the e-mail (find_duplicates read it).
    _save_keyed(
        firm,
        contact,
        email_changed=True,
        email_free=duplicates_searched or not allow_duplicate,
    )
    if contact.marketing_consent:
        _marketing_consent(firm, actor, contact, consent_source)
    created = {
        name: [None, value]
        for name, value in events.snapshot(contact, EDITABLE_FIELDS).items()
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
    version: int | None = None,
    consent_source: str = ConsentSource.STAFF,
    **fields: Any,
) -> Contact:
    """Change a contact's details; the timeline and audit log show what changed.

    A marketing consent given or withdrawn is recorded with its wording's
    version and ``consent_source`` (M4).

    ``version`` is the one the form was opened on: a save over a newer one
    raises ``StaleVersion`` naming who changed what (A10).
    """
    ensure_same_firm(firm, contact)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    before = events.snapshot(contact, EDITABLE_FIELDS)
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
            raise DuplicateContact(duplicates, email=normalise_email(contact.email))
    if contact.marketing_consent and not before["marketing_consent"]:
        contact.marketing_consent_at = timezone.now()
    sort_name = contact.sort_name
    apply_normalised(contact)
    contact.full_clean()
    changes = events.diff(before, contact)
    if changes:
        concurrency.claim_version(firm=firm, instance=contact, version=version)
        _save_keyed(firm, contact, email_changed="email" in changes)
        if contact.sort_name != sort_name:
            renames.run(firm=firm, contact_ids=[contact.pk])
        if "marketing_consent" in changes:
            _marketing_consent(firm, actor, contact, consent_source)
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


def contact_view_record(*, firm: Firm, actor: User | None, contact: Contact) -> None:
    """Write the audit event for a member opening ``contact``'s record (A7).

    One row, so no transaction of its own (a savepoint would cost two more
    queries on every page view); the audit writer opens one if none is open.
    """
    ensure_same_firm(firm, contact)
    events.record(
        firm=firm,
        actor=actor,
        audit_obj=contact,
        verb=AuditVerb.VIEW,
    )


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
