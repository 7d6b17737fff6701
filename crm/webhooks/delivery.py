"""Delivering a webhook: the outbox handler and its outcome hook (SPEC K3).

The worker calls :func:`deliver` outside any transaction, in the message
firm's scope. The body is serialised the same way on every try (sorted keys,
no spaces) and signed with the endpoint's current secret and the current
time (``crm.webhooks.signing``). The outbox decides what a result means:
2xx delivered; timeouts, network trouble, 5xx, 408 and 429 retried with
capped backoff and jitter (never sooner than a ``Retry-After``); any other
4xx or a refused destination failed at once, left for a redrive.

:func:`on_outcome` runs in the transaction that records the attempt: it
copies the try's code and duration to the delivery row (one table for the
log page) and keeps the endpoint's run of failures, which marks a failing
endpoint on the Webhooks page.
"""

import json

from django.db.models import F
from django.utils import timezone

from crm.core.outbound import post
from crm.core.outbox.choices import DeliveryAttemptOutcome
from crm.core.outbox.models import DeliveryAttempt, OutboxMessage
from crm.core.outbox.registry import DeliveryResult
from crm.webhooks import destinations, signing
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint
from crm.webhooks.services import TOPIC

SEND_TIMEOUT = 10.0
CONNECT_TIMEOUT = 5.0
ERROR_MAX = 300

__all__ = ["TOPIC", "body_bytes", "deliver", "on_outcome"]


def body_bytes(body: object) -> bytes:
    """Return the exact bytes sent (and signed) for a delivery's body."""
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def deliver(message: OutboxMessage) -> DeliveryResult:
    """POST the signed event to its endpoint and say how it went."""
    payload = message.payload if isinstance(message.payload, dict) else {}
    endpoint_id = payload.get("endpoint_id")
    endpoint = (
        WebhookEndpoint.objects.filter(firm_id=message.firm_id, pk=endpoint_id).first()
        if isinstance(endpoint_id, int)
        else None
    )
    if endpoint is None:
        return DeliveryResult(
            ok=False, error="The endpoint no longer exists.", retryable=False
        )
    body = payload.get("body") or {}
    raw = body_bytes(body)
    local = destinations.is_local(endpoint.url)
    if local and not destinations.localhost_allowed():
        return DeliveryResult(
            ok=False,
            error="Refused: endpoints on localhost are allowed only in "
            "development (WEBHOOKS_ALLOW_LOCALHOST).",
            retryable=False,
        )
    result = post(
        url=endpoint.url,
        body=raw,
        idempotency_key=str(body.get("id", message.idempotency_key)),
        headers=signing.headers(
            secret=endpoint.secret,
            body=raw,
            event_id=str(body.get("id", "")),
            event_type=str(body.get("type", "")),
        ),
        timeout=SEND_TIMEOUT,
        connect_timeout=CONNECT_TIMEOUT,
        allow_loopback=local,
    )
    return DeliveryResult.from_http(result)


def on_outcome(message: OutboxMessage, attempt: DeliveryAttempt) -> None:
    """Copy the try to its delivery row and update the endpoint's health."""
    delivery = (
        WebhookDelivery.objects.filter(firm_id=message.firm_id, message=message)
        .only("pk", "endpoint_id")
        .first()
    )
    if delivery is None:
        return
    now = timezone.now()
    WebhookDelivery.objects.filter(firm_id=message.firm_id, pk=delivery.pk).update(
        last_attempt_at=attempt.started_at,
        last_status_code=attempt.status_code,
        last_duration_ms=attempt.duration_ms,
        last_error=(attempt.error or "")[:ERROR_MAX],
    )
    endpoints = WebhookEndpoint.objects.filter(
        firm_id=message.firm_id, pk=delivery.endpoint_id
    )
    if attempt.outcome == DeliveryAttemptOutcome.DELIVERED:
        endpoints.update(consecutive_failures=0, last_success_at=now)
    else:
        endpoints.update(
            consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
        )
