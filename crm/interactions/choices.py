"""Interaction kinds (SPEC J2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InteractionKind(models.TextChoices):
    INTERACTION = "interaction", _("Interaction")
    NOTE = "note", _("Note")
    TOUCHPOINT = "touchpoint", _("Touchpoint")
