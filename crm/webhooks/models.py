"""Webhook endpoints and the deliveries queued for them (SPEC K3)."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from crm.core import txmemo
from crm.core.outbox.models import OutboxMessage
from crm.core.tenancy import FirmOwnedModel, scoped
from crm.webhooks import catalogue
from crm.webhooks.choices import EndpointHealth

URL_MAX_LENGTH = 500
EVENT_TYPE_MAX_LENGTH = 64
# After this many failed tries in a row, with no success since, an endpoint
# shows as failing (its deliveries keep being retried; nothing is dropped).
FAILING_AFTER = 3


def endpoints_key(firm_id: int) -> tuple[str, int]:
    """The key under which a transaction remembers a firm's active endpoints."""
    return ("webhook_endpoints", firm_id)


class WebhookEndpoint(FirmOwnedModel):
    """A URL of the firm's that hears about the events it subscribed to.

    ``secret`` signs every delivery (HMAC-SHA256); it is shown once when the
    endpoint is made or its secret rotated, and kept here because signing
    needs it. ``secret_prefix`` tells secrets apart on the page. The health
    columns are kept by the delivery outcome hook.
    """

    name = models.CharField(max_length=80)
    url = models.URLField(max_length=URL_MAX_LENGTH)
    event_types = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    secret = models.CharField(max_length=80)
    secret_prefix = models.CharField(max_length=16)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager["WebhookEndpoint"]] = scoped(
        models.Manager["WebhookEndpoint"]
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["firm", "is_active"], name="webhook_firm_active"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # What a transaction remembered of the firm's endpoints (services) is stale.
        txmemo.forget(endpoints_key(self.firm_id))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        txmemo.forget(endpoints_key(self.firm_id))
        return super().delete(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("webhooks:endpoint_detail", args=[self.pk])

    @property
    def health(self) -> EndpointHealth:
        """Return Paused, Failing (``FAILING_AFTER`` failures in a row) or Active."""
        if not self.is_active:
            return EndpointHealth.PAUSED
        if self.consecutive_failures >= FAILING_AFTER:
            return EndpointHealth.FAILING
        return EndpointHealth.ACTIVE

    @property
    def event_labels(self) -> list[str]:
        """Return the labels of the events this endpoint subscribed to."""
        return [catalogue.label_of(name) for name in self.event_types or []]

    def subscribes_to(self, event_type: str) -> bool:
        """Return whether this endpoint asked for ``event_type``."""
        return event_type in (self.event_types or [])


class WebhookDelivery(FirmOwnedModel):
    """One event queued for one endpoint: its outbox message and last outcome.

    ``event_id`` is the event's id, the same for every endpoint that hears of
    it and on every retry, so a receiver can drop a repeat. The last try's
    code and duration are copied here by the outcome hook, so the log page
    reads one table.
    """

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message = models.OneToOneField(
        OutboxMessage, on_delete=models.CASCADE, related_name="webhook_delivery"
    )
    event_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=EVENT_TYPE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects: ClassVar[models.Manager["WebhookDelivery"]] = scoped(
        models.Manager["WebhookDelivery"]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["firm", "endpoint", "-created_at", "-id"],
                name="webhookdelivery_log",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"

    @property
    def event_label(self) -> str:
        """Return what the event is called on the page."""
        return catalogue.label_of(self.event_type)
