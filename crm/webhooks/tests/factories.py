"""Webhook test data: endpoints written directly, deliveries through the service."""

from typing import Any

from crm.core.testing.isolation import register
from crm.firms.models import Firm
from crm.webhooks import services, signing
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint

URL = "https://hooks.example.com/casework"
EVENTS = ["case.created", "case.status_changed", "case.closed"]


def make_endpoint(firm: Firm, **fields: Any) -> WebhookEndpoint:
    """Return an endpoint of ``firm``, its URL unchecked (no DNS in tests)."""
    secret = fields.pop("secret", signing.new_secret())
    return WebhookEndpoint.objects.create(
        firm=firm,
        name=fields.pop("name", "Case tracker"),
        url=fields.pop("url", URL),
        event_types=fields.pop("event_types", EVENTS),
        secret=secret,
        secret_prefix=secret[: services.SECRET_PREFIX_LENGTH],
        **fields,
    )


def make_delivery(
    firm: Firm, endpoint: WebhookEndpoint | None = None
) -> WebhookDelivery:
    """Return a queued test delivery to ``endpoint`` (a new one if None)."""
    endpoint = endpoint or make_endpoint(firm)
    return services.endpoint_send_test(firm=firm, actor=None, endpoint=endpoint)


register("webhooks:endpoint_id")(make_endpoint)
register("webhooks:delivery_id")(make_delivery)
