"""Choices of the webhooks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EndpointHealth(models.TextChoices):
    """How an endpoint is doing, as its list and page show it."""

    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    FAILING = "failing", _("Failing")
