"""The firm's contact e-mail is unique where set, imports included (A10)."""

import pytest
from django.db import transaction

from crm.contacts import services
from crm.contacts.models import Contact
from crm.contacts.services import import_run
from crm.contacts.tests.factories import ContactFactory
from crm.contacts.tests.test_imports_services import csv_bytes, errors_of, run

pytestmark = pytest.mark.django_db


def test_an_import_row_may_not_give_a_contact_another_contacts_e_mail(firm, owner):
    """Matched on its mobile, a row whose e-mail is taken is rejected, not fatal."""
    cat = ContactFactory(
        firm=firm, first_name="Cat", last_name="Old", email="", mobile="07700900003"
    )
    rows = [
        ["New", "Person", "new@example.com", "", "", ""],
        ["Cat", "Mobile", "NEW@example.com", "07700 900003", "", ""],
    ]
    contact_import = run(firm, owner, csv_bytes(rows), mode="update")
    assert contact_import.status == "done"
    assert errors_of(contact_import) == [(3, import_run.EMAIL_TAKEN)]
    cat.refresh_from_db()
    assert cat.email == ""
    created = Contact.objects.get(firm=firm, email_norm="new@example.com")
    assert created.email_key == "new@example.com"


def test_an_import_keys_the_e_mails_it_creates(firm, owner):
    """Created contacts carry the unique key, so a later create is refused."""
    run(firm, owner, csv_bytes([["Ann", "Key", "ann@example.com", "", "", ""]]))
    assert Contact.objects.get(firm=firm).email_key == "ann@example.com"


def test_the_migration_keys_the_oldest_of_contacts_sharing_an_e_mail(firm, other_firm):
    """Contacts that shared an e-mail before the rule keep it; one holds the key."""
    import importlib

    from django.db import connection

    fill = importlib.import_module(
        "crm.contacts.migrations.0009_contact_email_key"
    ).FILL
    old = ContactFactory(firm=firm, email="twin@example.com")
    young = ContactFactory(firm=firm, email="twin@example.com")
    elsewhere = ContactFactory(firm=other_firm, email="twin@example.com")
    blank = ContactFactory(firm=firm, email="")
    Contact.objects.update(email_key=None)
    with connection.cursor() as cursor:
        cursor.execute(fill)
    keys = dict(Contact.objects.values_list("pk", "email_key"))
    assert keys[old.pk] == keys[elsewhere.pk] == "twin@example.com"
    assert keys[young.pk] is None
    assert keys[blank.pk] is None
    assert young.email == "twin@example.com"


def test_a_create_whose_caller_searched_runs_no_search_and_the_key_still_decides(
    firm, owner, django_assert_num_queries
):
    """B3, A10: the wizard's step form searched for duplicates in Create
    Case's transaction, so ``contact_create`` does not search again (the
    service's savepoint and its release, the row inserted unless its key is
    taken, its history, the audit head and row); a taken e-mail is still
    refused, by the unique key, in a transaction that goes on."""
    services.contact_create(
        firm=firm, actor=owner.user, first_name="Held", email="held@example.com"
    )
    with django_assert_num_queries(6):
        services.contact_create(
            firm=firm,
            actor=owner.user,
            duplicates_searched=True,
            first_name="New",
            last_name="Client",
            email="new@example.com",
        )
    with transaction.atomic():
        with pytest.raises(services.EmailTaken) as refused:
            services.contact_create(
                firm=firm,
                actor=owner.user,
                duplicates_searched=True,
                first_name="Other",
                last_name="Person",
                email="HELD@example.com",
            )
        assert refused.value.holder is not None
        assert refused.value.holder.first_name == "Held"
        # The refusal left the transaction usable: no error to roll back.
        assert Contact.objects.filter(firm=firm, first_name="Other").count() == 0
    assert Contact.objects.filter(firm=firm, email_norm="held@example.com").count() == 1
