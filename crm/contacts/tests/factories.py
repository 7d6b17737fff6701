"""Factories for contacts, with their search columns filled as services do."""

from typing import Any

import factory

from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact, ContactImport
from crm.contacts.services import apply_normalised
from crm.core.testing.isolation import register
from crm.firms.tests.factories import FirmFactory


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    firm = factory.SubFactory(FirmFactory)
    kind = ContactKind.PERSON

    class Params:
        faker_first = factory.Faker("first_name", locale="en_GB")
        faker_last = factory.Faker("last_name", locale="en_GB")

    # Without apostrophes, so a test finds the name in escaped HTML as it is.
    first_name = factory.LazyAttribute(lambda o: o.faker_first.replace("'", ""))
    last_name = factory.LazyAttribute(lambda o: o.faker_last.replace("'", ""))
    email = factory.Sequence(lambda n: f"client{n}@example.co.uk")
    mobile = factory.Sequence(lambda n: f"07700 9{n % 100000:05d}")

    @classmethod
    def _create(cls, model_class: type[Contact], *args: Any, **kwargs: Any) -> Contact:
        contact = model_class(**kwargs)
        apply_normalised(contact)
        contact.save()
        return contact


class OrganisationFactory(ContactFactory):
    kind = ContactKind.ORGANISATION
    first_name = ""
    last_name = ""
    organisation_name = factory.Sequence(lambda n: f"Riverside Surgery {n}")


class ContactImportFactory(factory.django.DjangoModelFactory[ContactImport]):
    class Meta:
        model = ContactImport

    firm = factory.SubFactory(FirmFactory)
    file = factory.django.FileField(
        filename="contacts.csv", data=b"first_name,last_name\nAda,Lovelace\n"
    )
    original_name = "contacts.csv"


register("contact_id")(lambda firm: ContactFactory(firm=firm))
register("contact_import_id")(lambda firm: ContactImportFactory(firm=firm))
