"""Interaction kinds (SPEC J2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InteractionKind(models.TextChoices):
    INTERACTION = "interaction", _("Interaction")
    NOTE = "note", _("Note")
    TOUCHPOINT = "touchpoint", _("Touchpoint")


class InteractionCaseEventType(models.TextChoices):
    """The entry an interaction leaves in its case's history."""

    INTERACTION_LOGGED = "interaction_logged", _("Interaction logged")


class InteractionContactEventType(models.TextChoices):
    """The entries an interaction or note leaves on its client's timeline."""

    INTERACTION = "interaction", _("Interaction logged")
    NOTE = "note", _("Note added")
