"""Choices for data protection work (SPEC M2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    """Where a subject access export is (SPEC M2)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
