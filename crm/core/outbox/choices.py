"""Choices for the outbox models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessageStatus(models.TextChoices):
    """Where a message is in its life: waiting, delivered, or given up on."""

    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryAttemptOutcome(models.TextChoices):
    """What one try at delivering a message led to."""

    DELIVERED = "delivered", _("Delivered")
    RETRY = "retry", _("Will retry")
    FAILED = "failed", _("Failed")
