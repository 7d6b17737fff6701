"""Consent records (SPEC M4) and the audited client record (SPEC A7)."""

import pytest

from crm.contacts import services as contact_services
from crm.contacts.choices import ConsentKind, ConsentSource
from crm.contacts.consent import MARKETING_VERSION
from crm.contacts.models import ConsentRecord
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_marketing_consent_changes_are_recorded_with_version_time_source_and_member(
    firm, owner
):
    """SPEC M4: giving and withdrawing keep the wording version, time, source, who."""
    contact = contact_services.contact_create(
        firm=firm,
        actor=owner.user,
        kind="person",
        first_name="Cara",
        last_name="Consent",
        marketing_consent=True,
    )
    contact_services.contact_update(
        firm=firm, actor=owner.user, contact=contact, marketing_consent=False
    )
    records = list(ConsentRecord.objects.filter(contact=contact).order_by("id"))
    assert [(r.kind, r.given) for r in records] == [
        (ConsentKind.MARKETING, True),
        (ConsentKind.MARKETING, False),
    ]
    assert {r.text_version for r in records} == {MARKETING_VERSION}
    assert {r.source for r in records} == {ConsentSource.STAFF}
    assert {r.recorded_by_id for r in records} == {owner.user.pk}
    assert all(r.recorded_at is not None for r in records)


def test_client_record_lists_current_consents_and_links_to_history(
    owner_client, firm, owner
):
    """SPEC M4: a contact's consents are listed on their record, with history."""
    contact = ContactFactory(firm=firm)
    for given, version in ((True, "marketing-2025-01"), (False, "marketing-2026-01")):
        contact_services.consent_record(
            firm=firm,
            actor=owner.user,
            contact=contact,
            kind=ConsentKind.MARKETING,
            given=given,
            text_version=version,
            source=ConsentSource.STAFF,
        )
    record = owner_client.get(f"/clients/{contact.pk}/").content.decode()
    assert "Consents" in record
    assert "Withdrawn" in record
    assert "2 records" in record
    history = owner_client.get(f"/clients/{contact.pk}/data-protection/")
    body = history.content.decode()
    assert "marketing-2025-01" in body
    assert "marketing-2026-01" in body


def test_data_protection_page_has_an_empty_state(owner_client, firm):
    """A client with no consent or archive gets plain words, not blanks."""
    contact = ContactFactory(firm=firm)
    body = owner_client.get(f"/clients/{contact.pk}/data-protection/").content.decode()
    assert "No consent has been recorded" in body
    assert "No archive has been prepared" in body


def test_viewing_a_client_record_is_audited(owner_client, firm):
    """SPEC A7: each opening of a client record writes a 'viewed' audit row."""
    contact = ContactFactory(firm=firm)
    owner_client.get(f"/clients/{contact.pk}/")
    assert AuditEvent.objects.filter(
        firm=firm, verb=AuditVerb.VIEW, object_id=str(contact.pk)
    ).exists()
