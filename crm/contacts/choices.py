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
    """What happened to a contact itself, shown on its timeline (B4).

    Apps that write other entries on the timeline (leads, cases, tasks, ...)
    register their own types in their ``AppConfig.ready()``.
    """

    CREATED = "created", _("Record created")
    UPDATED = "updated", _("Details updated")
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Restored")
    IMPORTED = "imported", _("Imported")


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


class ConsentKind(models.TextChoices):
    """What a client consented to (SPEC M4)."""

    CREDIT = "credit", _("Credit search")
    MARKETING = "marketing", _("Marketing")


class ConsentSource(models.TextChoices):
    """Where a consent (or its withdrawal) was recorded (SPEC M4)."""

    STAFF = "staff", _("Recorded by a member")
    PORTAL = "portal", _("Client portal")
    IMPORT = "import", _("Contact import")
    API = "api", _("API")
