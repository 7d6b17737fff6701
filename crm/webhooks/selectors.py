"""Reads about webhook endpoints and their deliveries (SPEC K3)."""

from django.db.models import QuerySet

from crm.core.exceptions import NotFound
from crm.core.outbox.choices import OutboxMessageStatus
from crm.firms.models import Firm
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_list(*, firm: Firm) -> QuerySet[WebhookEndpoint]:
    """Return the firm's endpoints, active and paused, by name."""
    return WebhookEndpoint.objects.filter(firm=firm).order_by("name", "id")


def endpoint_get(*, firm: Firm, endpoint_id: int) -> WebhookEndpoint:
    """Return one of the firm's endpoints or raise ``NotFound``."""
    try:
        return WebhookEndpoint.objects.get(firm=firm, pk=endpoint_id)
    except WebhookEndpoint.DoesNotExist as exc:
        raise NotFound from exc


def endpoints_active(*, firm_id: int) -> list[WebhookEndpoint]:
    """Return the firm's active endpoints, with firm: one indexed query.

    Callers filter by subscription (``subscribes_to``): JSON containment is
    not portable to SQLite.
    """
    return list(
        WebhookEndpoint.objects.filter(firm_id=firm_id, is_active=True).select_related(
            "firm"
        )
    )


def delivery_list(
    *, firm: Firm, endpoint: WebhookEndpoint, status: str = ""
) -> QuerySet[WebhookDelivery]:
    """Return the endpoint's deliveries, newest first, with their outbox messages.

    ``status`` (an ``OutboxMessageStatus`` value) keeps only deliveries in it;
    anything else keeps all.
    """
    deliveries = WebhookDelivery.objects.filter(firm=firm, endpoint=endpoint)
    if status in OutboxMessageStatus.values:
        deliveries = deliveries.filter(message__status=status)
    return deliveries.select_related("message").order_by("-created_at", "-id")


def delivery_get(*, firm: Firm, delivery_id: int) -> WebhookDelivery:
    """Return one of the firm's deliveries (with message, endpoint) or ``NotFound``."""
    try:
        return WebhookDelivery.objects.select_related("message", "endpoint").get(
            firm=firm, pk=delivery_id
        )
    except WebhookDelivery.DoesNotExist as exc:
        raise NotFound from exc
