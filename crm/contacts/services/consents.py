"""Consent records (SPEC M4): each consent given or withdrawn, with its wording."""

import datetime

from django.db import transaction
from django.utils import timezone

from crm.contacts.choices import ConsentKind, ConsentSource
from crm.contacts.consent import MARKETING_VERSION
from crm.contacts.models import ConsentRecord, Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User


def consent_row(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    kind: ConsentKind | str,
    given: bool,
    text_version: str,
    source: ConsentSource | str,
    at: datetime.datetime | None = None,
    ip_address: str | None = None,
) -> ConsentRecord:
    """Insert a consent record without its own audit row.

    For services whose audit row already shows the change (the contact's
    ``marketing_consent``); anything else calls :func:`consent_record`.
    """
    ensure_same_firm(firm, contact)
    record = ConsentRecord(
        firm=firm,
        contact=contact,
        kind=kind,
        given=given,
        text_version=text_version,
        source=source,
        recorded_at=at or timezone.now(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        ip_address=ip_address or None,
    )
    record.full_clean(exclude=["contact", "firm", "recorded_by"])
    record.save()
    return record


@transaction.atomic
def consent_record(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    kind: ConsentKind | str,
    given: bool,
    text_version: str,
    source: ConsentSource | str,
    at: datetime.datetime | None = None,
    ip_address: str | None = None,
) -> ConsentRecord:
    """Record that ``contact`` gave (or withdrew) ``kind`` consent to ``text_version``.

    ``actor`` is the member who recorded it (None when the client did, in the
    portal). The audit log gets the record too.
    """
    record = consent_row(
        firm=firm,
        actor=actor,
        contact=contact,
        kind=kind,
        given=given,
        text_version=text_version,
        source=source,
        at=at,
        ip_address=ip_address,
    )
    events.record(
        firm=firm,
        actor=actor,
        audit_obj=record,
        verb=AuditVerb.CREATE,
        object_repr=f"{record} for {contact}",
        changes={
            "kind": [None, record.kind],
            "given": [None, given],
            "text_version": [None, text_version],
            "source": [None, record.source],
        },
    )
    return record


def consent_rows_imported(
    *,
    firm: Firm,
    actor: User | None,
    contacts: list[Contact],
    at: datetime.datetime,
) -> None:
    """Record, in one insert, the marketing consents an import gave or withdrew.

    Each contact's current ``marketing_consent`` is the answer recorded.
    """
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            firm=firm,
            contact=contact,
            kind=ConsentKind.MARKETING,
            given=contact.marketing_consent,
            text_version=MARKETING_VERSION,
            source=ConsentSource.IMPORT,
            recorded_at=at,
            recorded_by=actor,
        )
        for contact in contacts
    )
