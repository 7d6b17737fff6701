"""Contact services: validation, duplicates, timeline and audit (B1, B3)."""

import pytest
from django.db import IntegrityError, transaction

from crm.contacts import services
from crm.contacts.models import Contact, ContactEvent
from crm.contacts.selectors import person_picked
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_create_fills_search_columns_and_writes_history(firm, owner):
    """A new person gets normalised columns, a timeline entry and an audit event."""
    contact = services.contact_create(
        firm=firm,
        actor=owner.user,
        first_name="Zoë",
        last_name="Hart",
        email=" Zoe.Hart@Example.com ",
        mobile="+44 7700 900555",
    )
    assert contact.email == "zoe.hart@example.com"
    assert contact.mobile_norm == "07700900555"
    assert contact.search_name == "zoe hart"
    assert contact.sort_name == "hart zoe"
    assert ContactEvent.objects.get(contact=contact).type == "created"
    assert AuditEvent.objects.get(object_type="contacts.contact").verb == "create"


def test_duplicate_email_or_mobile_is_refused_with_the_existing_record(firm):
    """Same e-mail (any case) or same mobile (any spacing) raises DuplicateContact."""
    existing = ContactFactory(firm=firm, email="sam@example.com", mobile="07700 900001")
    with pytest.raises(services.DuplicateContact) as caught:
        services.contact_create(
            firm=firm, actor=None, first_name="S", email="SAM@example.com"
        )
    assert caught.value.duplicates == [existing]
    with pytest.raises(services.DuplicateContact):
        services.contact_create(
            firm=firm, actor=None, first_name="S", mobile="+447700900001"
        )


def test_duplicate_can_be_confirmed(firm):
    """After the warning, the user can still create a separate record."""
    ContactFactory(firm=firm, mobile="07700 900123")
    contact = services.contact_create(
        firm=firm,
        actor=None,
        first_name="Sam",
        mobile="07700900123",
        allow_duplicate=True,
    )
    assert contact.pk is not None


def test_an_e_mail_belongs_to_one_contact_of_the_firm(firm, other_firm):
    """A confirmed duplicate still may not share an e-mail, in any case (A10)."""
    ContactFactory(firm=other_firm, email="sam@example.com")
    services.contact_create(
        firm=firm, actor=None, first_name="Sam", email="sam@example.com"
    )
    with pytest.raises(services.EmailTaken, match="Sam already has this e-mail"):
        services.contact_create(
            firm=firm,
            actor=None,
            first_name="Samuel",
            email=" SAM@Example.com ",
            allow_duplicate=True,
        )
    other = services.contact_create(firm=firm, actor=None, first_name="Jo")
    with pytest.raises(services.EmailTaken):
        services.contact_update(
            firm=firm,
            actor=None,
            contact=other,
            email="Sam@example.com",
            allow_duplicate=True,
        )
    assert Contact.objects.filter(firm=firm, email_norm="sam@example.com").count() == 1


def test_the_database_refuses_a_second_contact_with_one_e_mail(firm):
    """The unique key holds even when the service's check is raced (A10)."""
    services.contact_create(firm=firm, actor=None, first_name="Lee", email="lee@x.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(firm=firm, first_name="Twin", email_key="lee@x.com")


def test_another_firms_contact_is_not_a_duplicate(firm, other_firm):
    """Duplicate checks stay inside the firm."""
    ContactFactory(firm=other_firm, email="sam@example.com")
    assert (
        services.contact_create(
            firm=firm, actor=None, first_name="Sam", email="sam@example.com"
        ).firm
        == firm
    )


def test_person_needs_a_name_and_organisation_needs_its_name(firm):
    """Names are required by kind."""
    with pytest.raises(ApplicationError, match="first or last name"):
        services.contact_create(firm=firm, actor=None, email="x@example.com")
    with pytest.raises(ApplicationError, match="organisation's name"):
        services.contact_create(firm=firm, actor=None, kind="organisation")


def test_organisation_must_be_in_the_firm(firm, other_firm):
    """A person cannot belong to another firm's organisation."""
    foreign = OrganisationFactory(firm=other_firm)
    with pytest.raises(ApplicationError, match="organisation from this firm"):
        services.contact_create(
            firm=firm, actor=None, first_name="A", organisation=foreign
        )


def test_update_records_changed_fields(firm, owner):
    """Updates write what changed to the timeline and the audit log."""
    contact = ContactFactory(firm=firm, town="Bath")
    services.contact_update(
        firm=firm, actor=owner.user, contact=contact, town="Bristol"
    )
    event = ContactEvent.objects.get(contact=contact, type="updated")
    assert event.parameters == {"fields": ["town"]}
    audit = AuditEvent.objects.get(verb="update")
    assert audit.changes == {"town": ["Bath", "Bristol"]}


def test_update_to_another_contacts_email_warns(firm):
    """Changing to an e-mail someone else has raises the duplicate warning."""
    ContactFactory(firm=firm, email="taken@example.com")
    contact = ContactFactory(firm=firm)
    with pytest.raises(services.DuplicateContact):
        services.contact_update(
            firm=firm, actor=None, contact=contact, email="taken@example.com"
        )


def test_archive_and_restore(firm, owner):
    """Archiving hides without deleting; both directions are recorded."""
    contact = ContactFactory(firm=firm)
    services.contact_set_archived(
        firm=firm, actor=owner.user, contact=contact, archived=True
    )
    services.contact_set_archived(
        firm=firm, actor=owner.user, contact=contact, archived=False
    )
    assert list(
        ContactEvent.objects.filter(contact=contact)
        .order_by("id")
        .values_list("type", flat=True)
    ) == ["archived", "restored"]


def test_marketing_consent_time_is_recorded(firm):
    """Giving consent stamps when it was given."""
    contact = services.contact_create(
        firm=firm, actor=None, first_name="A", marketing_consent=True
    )
    assert contact.marketing_consent_at is not None


def test_person_picked_refuses_junk_organisations_and_other_firms(firm, other_firm):
    """A picker's posted id gives the firm's person, or None for anything else."""

    person = ContactFactory(firm=firm)
    assert person_picked(firm=firm, raw=str(person.pk)) == person
    assert person_picked(firm=firm, raw="²") is None
    assert person_picked(firm=firm, raw=None) is None
    organisation = OrganisationFactory(firm=firm)
    assert person_picked(firm=firm, raw=str(organisation.pk)) is None
    theirs = ContactFactory(firm=other_firm)
    assert person_picked(firm=firm, raw=str(theirs.pk)) is None
