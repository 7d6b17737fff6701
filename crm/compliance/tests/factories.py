"""Factories for data protection records."""

import factory
from django.core.files.base import ContentFile

from crm.compliance.choices import ExportStatus
from crm.compliance.models import SubjectAccessExport
from crm.contacts.tests.factories import ContactFactory
from crm.core.testing.isolation import register


class SubjectAccessExportFactory(
    factory.django.DjangoModelFactory[SubjectAccessExport]
):
    class Meta:
        model = SubjectAccessExport

    firm = factory.SelfAttribute("contact.firm")
    status = ExportStatus.DONE
    progress = 100
    file = factory.LazyFunction(
        lambda: ContentFile(b"PK\x05\x06" + b"\x00" * 18, name="archive.zip")
    )


register("export_id")(
    lambda firm: SubjectAccessExportFactory(contact=ContactFactory(firm=firm))
)
