"""Choices for contacts and their timeline."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    """A contact is a person or an organisation (B1)."""

    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class ContactTitle(models.TextChoices):
    """Common UK titles."""

    MR = "Mr", "Mr"
    MRS = "Mrs", "Mrs"
    MS = "Ms", "Ms"
    MISS = "Miss", "Miss"
    MX = "Mx", "Mx"
    DR = "Dr", "Dr"
    PROF = "Prof", "Prof"


class ContactEventType(models.TextChoices):
    """What happened to a contact, shown on its timeline (B4)."""

    CREATED = "created", _("Record created")
    UPDATED = "updated", _("Details updated")
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Restored")
    IMPORTED = "imported", _("Imported")
    LEAD_CREATED = "lead_created", _("Lead created")
    LEAD_STATUS = "lead_status", _("Lead status changed")
    LEAD_CONVERTED = "lead_converted", _("Lead converted")
    TASK_CREATED = "task_created", _("Task added")
    TASK_COMPLETED = "task_completed", _("Task completed")
    INTERACTION = "interaction", _("Interaction logged")
    NOTE = "note", _("Note added")
    CASE_CREATED = "case_created", _("Case created")
    DOCUMENT = "document", _("Document uploaded")
    CASE_STATUS = "case_status", _("Case status changed")
    SERVICE_LINKED = "service_linked", _("Linked to a support case")
    SERVICE_UNLINKED = "service_unlinked", _("Unlinked from a support case")


class ImportStatus(models.TextChoices):
    """Where a CSV import is."""

    MAPPING = "mapping", _("Waiting for column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class DuplicateMode(models.TextChoices):
    """What an import does with a row matching an existing contact (B3, B5)."""

    SKIP = "skip", _("Skip rows that match an existing contact")
    UPDATE = "update", _("Update the existing contact")
