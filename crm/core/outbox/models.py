"""Outbox messages and their delivery attempts (SPEC K3/G5, STYLE B7)."""

from typing import ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from crm.core.outbox.choices import DeliveryAttemptOutcome, OutboxMessageStatus
from crm.core.tenancy import FirmOwnedModel, scoped

TOPIC_MAX_LENGTH = 64
IDEMPOTENCY_KEY_MAX_LENGTH = 128
EXCERPT_MAX_LENGTH = 1000
ERROR_MAX_LENGTH = 2000
DEFAULT_MAX_ATTEMPTS = 10


class OutboxMessage(FirmOwnedModel):
    """A message to deliver outside Casework, written with the change it reports.

    The worker claims a due message by setting a lease (``claimed_until``,
    ``claimed_by``); a worker that dies mid-delivery leaves a lease that
    expires, and another worker takes the message again.
    """

    topic = models.CharField(max_length=TOPIC_MAX_LENGTH)
    payload = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    status = models.CharField(
        max_length=16,
        choices=OutboxMessageStatus.choices,
        default=OutboxMessageStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(
        default=DEFAULT_MAX_ATTEMPTS, validators=[MinValueValidator(1)]
    )
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["OutboxMessage"]] = scoped(
        models.Manager["OutboxMessage"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "idempotency_key"], name="outbox_firm_idem_key"
            ),
        ]
        indexes = [
            # The worker's claim reads across firms, so this index does not start
            # with firm: pending rows by due time, the lease checked in the index.
            models.Index(
                fields=["next_attempt_at", "claimed_until"],
                condition=Q(status=OutboxMessageStatus.PENDING),
                name="outbox_due",
            ),
            models.Index(
                fields=["delivered_at"],
                condition=Q(status=OutboxMessageStatus.DELIVERED),
                name="outbox_delivered",
            ),
            models.Index(
                fields=["firm", "status", "-created_at"], name="outbox_firm_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.idempotency_key} ({self.status})"


class DeliveryAttempt(FirmOwnedModel):
    """One try at delivering an outbox message: when, how long, and what came back."""

    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=DeliveryAttemptOutcome.choices)
    response_excerpt = models.TextField(blank=True)
    error = models.TextField(blank=True)

    objects: ClassVar[models.Manager["DeliveryAttempt"]] = scoped(
        models.Manager["DeliveryAttempt"]
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "message", "-started_at"], name="delivery_msg_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} {self.outcome} at {self.started_at:%Y-%m-%d %H:%M}"
