"""The import job as a worker runs it: with no scope until it enters its own (T7)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope
from django_tasks import TaskResultStatus

from crm.contacts import services
from crm.contacts.jobs import contact_import_job
from crm.contacts.models import Contact, ContactImport
from crm.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _queued_import(firm, owner) -> ContactImport:
    upload = SimpleUploadedFile(
        "people.csv",
        b"First name,Last name,Email\nAda,Lovelace,ada@example.com\n"
        b"Alan,Turing,alan@example.com\n",
        content_type="text/csv",
    )
    contact_import = services.contact_import_upload(
        firm=firm, actor=owner.user, upload=upload
    )
    with scope(firm=firm.pk):
        # The immediate test backend would run the job at once; queue it only.
        contact_import.status = "queued"
        contact_import.mapping["fields"] = ["first_name", "last_name", "email"]
        contact_import.save()
    return contact_import


def test_job_enters_its_own_firm_scope(firm, other_firm, owner):
    """Run with no scope active (as in a worker), the job still imports."""
    ContactFactory(firm=other_firm, email="ada@example.com")
    contact_import = _queued_import(firm, owner)
    with scope():  # a worker process: firm-owned queries raise until scoped
        result = contact_import_job.enqueue(
            firm_id=firm.pk, contact_import_id=contact_import.pk
        )
    assert result.status == TaskResultStatus.SUCCESSFUL
    done = ContactImport.objects.get(pk=contact_import.pk)
    assert done.status == "done"
    assert done.created_count == 2
    assert Contact.objects.filter(firm=firm).count() == 2


def test_job_for_another_firms_import_finds_nothing(firm, other_firm, owner):
    """A job given a mismatched firm id cannot touch the import."""
    contact_import = _queued_import(firm, owner)
    with scope():
        result = contact_import_job.enqueue(
            firm_id=other_firm.pk, contact_import_id=contact_import.pk
        )
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "crm.core.exceptions.NotFound"
    assert Contact.objects.filter(firm=firm).count() == 0
