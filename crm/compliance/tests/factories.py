"""Factories for data protection records."""

import factory

from crm.compliance.models import SubjectAccessExport
from crm.contacts.tests.factories import ContactFactory
from crm.core.testing.isolation import register


class SubjectAccessExportFactory(
    factory.django.DjangoModelFactory[SubjectAccessExport]
):
    class Meta:
        model = SubjectAccessExport

    firm = factory.SelfAttribute("contact.firm")


register("export_id")(
    lambda firm: SubjectAccessExportFactory(contact=ContactFactory(firm=firm))
)
