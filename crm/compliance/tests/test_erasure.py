"""Erasure (SPEC M3) and the audit chain through it (SPEC A7)."""

import datetime

import pytest
from django.utils import timezone

from crm.cases.models import Case, Document
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.compliance import services
from crm.compliance.tests.helpers import close
from crm.contacts import services as contact_services
from crm.contacts.choices import ConsentKind, ConsentSource
from crm.contacts.consent import MARKETING_VERSION
from crm.contacts.models import ConsentRecord, Contact
from crm.contacts.tests.factories import ContactFactory
from crm.core import auditchain
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.interactions.models import Interaction
from crm.interactions.tests.factories import NoteFactory
from crm.portal.choices import ActionKind
from crm.portal.models import CreditConsent, PortalInvitation, RequestedAction
from crm.portal.tests.factories import make_action

pytestmark = pytest.mark.django_db


def _past_retention(firm):
    contact = ContactFactory(
        firm=firm,
        first_name="Zebedee",
        last_name="Quartermaine",
        email="zebedee@ex.com",
        notes="Lives at the old mill.",
    )
    contact_services.consent_row(
        firm=firm,
        actor=None,
        contact=contact,
        kind=ConsentKind.MARKETING,
        given=True,
        text_version=MARKETING_VERSION,
        source=ConsentSource.PORTAL,
        ip_address="203.0.113.9",
    )
    case = make_case(firm, applicants=[contact])
    Case.objects.filter(pk=case.pk).update(note="Zebedee's divorce settlement.")
    DocumentFactory(case=case, contact=contact, original_name="zebedee-id.pdf")
    NoteFactory(contact=contact, notes="Zebedee called about his pension.")
    close(case, years_ago=4)
    return contact, case


def test_erasure_inside_retention_is_refused_with_the_end_date(firm, owner):
    """SPEC M3: refused inside retention, naming the date it ends."""
    case = close(make_case(firm), years_ago=1)
    contact = case.applicants.get().contact
    with pytest.raises(ApplicationError, match="must be kept until") as caught:
        services.contact_erase(firm=firm, actor=owner.user, contact=contact)
    assert caught.value.extra["until"]
    contact.refresh_from_db()
    assert contact.erased_at is None


def test_erasure_past_retention_removes_personal_data_and_keeps_counts(
    firm, owner, owner_client
):
    """SPEC M3: names, contact details, free text and files go; rows and
    counts stay; verify_audit still passes."""
    contact, case = _past_retention(firm)
    owner_client.get(f"/clients/{contact.pk}/")  # an audited viewing
    counts = (Case.objects.count(), Interaction.objects.count())
    services.contact_erase(firm=firm, actor=owner.user, contact=contact)
    contact.refresh_from_db()
    assert contact.erased_at is not None
    assert (contact.first_name, contact.email, contact.notes) == ("", "", "")
    assert contact.last_name == "Erased client"
    assert (Case.objects.count(), Interaction.objects.count()) == counts
    assert Interaction.objects.get(contact=contact).notes == ""
    assert Case.objects.get(pk=case.pk).note == ""
    consent = ConsentRecord.objects.get(contact=contact)
    assert consent.text_version == MARKETING_VERSION
    assert consent.ip_address is None
    assert not Document.objects.filter(contact=contact).exists()
    assert auditchain.verify(firm).broken is None
    for word in ("Zebedee", "Quartermaine", "zebedee@ex.com"):
        assert not AuditEvent.objects.filter(object_repr__icontains=word).exists()
        assert not AuditEvent.objects.filter(changes__icontains=word).exists()
    pages = [
        f"/clients/{contact.pk}/",
        f"/clients/{contact.pk}/data-protection/",
        "/clients/",
        "/settings/audit-log/",
        case.get_absolute_url(),
    ]
    for page in pages:
        body = owner_client.get(page).content.decode()
        for word in ("Zebedee", "Quartermaine", "zebedee@ex.com", "old mill"):
            assert word not in body, (page, word)
    search = owner_client.get("/search/", {"q": "Zebedee"}).content.decode()
    assert f"/clients/{contact.pk}/" not in search
    export = owner_client.get("/clients/export.csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode()
    assert "Zebedee" not in body
    assert "zebedee@ex.com" not in body


def test_an_erased_client_cannot_be_erased_or_exported_again(firm, owner):
    """SPEC M3: a second erasure, or an archive of nothing, is refused clearly."""
    contact, _case = _past_retention(firm)
    services.contact_erase(firm=firm, actor=owner.user, contact=contact)
    with pytest.raises(ApplicationError, match="already been erased"):
        services.contact_erase(firm=firm, actor=owner.user, contact=contact)
    with pytest.raises(ApplicationError, match="has been erased"):
        services.subject_access_start(firm=firm, actor=owner.user, contact=contact)


def test_erase_page_refuses_inside_retention_and_erases_after(owner_client, firm):
    """SPEC M3: the page names the end date; past it, a confirmed post erases."""
    case = close(make_case(firm), years_ago=1)
    held = case.applicants.get().contact
    body = owner_client.get(f"/clients/{held.pk}/erase/").content.decode()
    assert "must be kept until" in body
    response = owner_client.post(f"/clients/{held.pk}/erase/", {"confirm": "on"})
    assert "must be kept until" in response.content.decode()
    contact, _case = _past_retention(firm)
    response = owner_client.post(f"/clients/{contact.pk}/erase/", {})
    assert "Tick the box to confirm the erasure." in response.content.decode()
    response = owner_client.post(f"/clients/{contact.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).erased_at is not None


def test_a_client_with_no_case_past_their_period_can_be_erased(firm, owner):
    """SPEC M1/M3: no case, last activity more than two years ago."""
    contact = ContactFactory(firm=firm)
    Contact.objects.filter(pk=contact.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=800)
    )
    contact.refresh_from_db()
    services.contact_erase(firm=firm, actor=owner.user, contact=contact)
    assert Contact.objects.get(pk=contact.pk).erased_at is not None


def test_erase_page_needs_manage_firm(adviser_client, firm):
    """SPEC A4: only members who manage the firm erase clients."""
    contact = ContactFactory(firm=firm)
    assert adviser_client.get(f"/clients/{contact.pk}/erase/").status_code == 403


def test_erasure_clears_the_portal_records(firm, other_firm, owner):
    """SPEC M3: the portal's invitation address, consent IP address and review
    reason go (through the portal's erasure hook); the rows stay, and another
    client's and another firm's do not change."""
    contact, case = _past_retention(firm)
    consent_action = make_action(firm, case=case, contact=contact)
    CreditConsent.objects.create(
        firm=firm,
        action=consent_action,
        contact=contact,
        text_version="v1",
        confirmed_at=timezone.now(),
        ip_address="198.51.100.7",
    )
    make_action(
        firm,
        case=case,
        contact=contact,
        kind=ActionKind.IDENTITY,
        review_reason="Zebedee's passport photo is blurred.",
    )
    PortalInvitation.objects.create(
        firm=firm,
        contact=contact,
        case=case,
        email="zebedee@ex.com",
        token_hash="a" * 64,
        expires_at=timezone.now(),
    )
    other = make_action(other_firm, review_reason="Keep this one.")
    services.contact_erase(firm=firm, actor=owner.user, contact=contact)
    assert list(
        PortalInvitation.objects.filter(contact=contact).values_list("email", flat=True)
    ) == [""]
    assert CreditConsent.objects.get(contact=contact).ip_address is None
    assert set(
        RequestedAction.objects.filter(contact=contact).values_list(
            "review_reason", flat=True
        )
    ) == {""}
    other.refresh_from_db()
    assert other.review_reason == "Keep this one."
    audit = AuditEvent.objects.filter(verb="erase").latest("pk")
    assert audit.changes["rows_blanked"]["portal.portalinvitation"] == 1
    assert audit.changes["rows_blanked"]["portal.creditconsent"] == 1
