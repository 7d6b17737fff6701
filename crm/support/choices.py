"""Choices of support cases (SPEC I1-I9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Duration(models.TextChoices):
    OPEN_ENDED = "open_ended", _("Open-ended")
    FIXED = "fixed", _("Fixed")


class ConcernLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class ItemKind(models.TextChoices):
    NEED = "need", _("Client need")
    OUTCOME = "outcome", _("Desired outcome")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In Progress")
    COMPLETE = "complete", _("Complete")
