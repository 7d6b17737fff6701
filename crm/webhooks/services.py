"""Writes of the webhooks app: endpoints, queued events, tests and redrives (K3).

Events reach webhooks at the pipeline seam: :func:`event_enqueue` (and
:func:`events_enqueue` for a batch) is registered with
``crm.core.events.register_writer`` and runs inside the
transaction of every recorded event, so each matching endpoint's outbox
message commits or rolls back with the change it reports. The outbox worker
delivers them (``crm.webhooks.delivery``).
"""

import uuid
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from crm.core import events, txmemo
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.outbox import services as outbox
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.webhooks import catalogue, destinations, selectors, signing
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint, endpoints_key

TOPIC = "webhooks.event"
MAX_ATTEMPTS = 15
NAME_MAX = 80
SECRET_PREFIX_LENGTH = 12


def new_event_id() -> str:
    """Return a fresh event id (``evt_`` and 32 hex digits)."""
    return f"evt_{uuid.uuid4().hex}"


def _clean(
    *, name: str, url: str, event_types: list[str]
) -> tuple[str, str, list[str]]:
    name = name.strip()
    if not name:
        raise ApplicationError("Enter a name.", "required", {"field": "name"})
    if len(name) > NAME_MAX:
        raise ApplicationError(
            f"Keep the name under {NAME_MAX} characters.", "invalid", {"field": "name"}
        )
    url = destinations.clean_url(url)
    known = [value for value, _label in catalogue.choices()]
    chosen = [value for value in known if value in set(event_types)]
    if not chosen or len(chosen) != len(set(event_types)):
        raise ApplicationError(
            "Choose at least one of the events listed.",
            "invalid",
            {"field": "event_types"},
        )
    return name, url, chosen


@transaction.atomic
def endpoint_create(
    *,
    firm: Firm,
    actor: User | None,
    name: str,
    url: str,
    event_types: list[str],
    is_active: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; return it and its signing secret (shown once)."""
    name, url, event_types = _clean(name=name, url=url, event_types=event_types)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        firm=firm,
        name=name,
        url=url,
        event_types=event_types,
        is_active=is_active,
        secret=secret,
        secret_prefix=secret[:SECRET_PREFIX_LENGTH],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    endpoint.full_clean(exclude=["firm"])
    endpoint.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=endpoint,
        verb=AuditVerb.CREATE,
        changes={
            "name": [None, name],
            "url": [None, url],
            "event_types": [None, event_types],
            "is_active": [None, is_active],
        },
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *,
    firm: Firm,
    actor: User | None,
    endpoint: WebhookEndpoint,
    name: str,
    url: str,
    event_types: list[str],
    is_active: bool,
) -> WebhookEndpoint:
    """Change an endpoint's name, URL, events or state (active or paused).

    Deliveries already queued keep going to the endpoint's current URL; a
    paused endpoint hears of no new events until it is made active again.
    """
    ensure_same_firm(firm, endpoint)
    name, url, event_types = _clean(name=name, url=url, event_types=event_types)
    fields = ("name", "url", "event_types", "is_active")
    before = events.snapshot(endpoint, fields)
    endpoint.name, endpoint.url = name, url
    endpoint.event_types, endpoint.is_active = event_types, is_active
    changes = events.diff(before, endpoint)
    if not changes:
        return endpoint
    endpoint.updated_at = timezone.now()
    endpoint.full_clean(exclude=["firm"])
    endpoint.save(update_fields=[*fields, "updated_at"])
    events.record(
        firm=firm,
        actor=actor,
        subject=endpoint,
        verb=AuditVerb.UPDATE,
        changes=changes,
    )
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(
    *, firm: Firm, actor: User | None, endpoint: WebhookEndpoint
) -> tuple[WebhookEndpoint, str]:
    """Give the endpoint a new secret (shown once); the old one stops at once.

    Every delivery from now on, retries of earlier events included, is
    signed with the new secret.
    """
    ensure_same_firm(firm, endpoint)
    secret = signing.new_secret()
    old_prefix = endpoint.secret_prefix
    endpoint.secret = secret
    endpoint.secret_prefix = secret[:SECRET_PREFIX_LENGTH]
    endpoint.updated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_prefix", "updated_at"])
    events.record(
        firm=firm,
        actor=actor,
        subject=endpoint,
        verb=AuditVerb.UPDATE,
        changes={"secret": [f"{old_prefix}…", f"{endpoint.secret_prefix}…"]},
    )
    return endpoint, secret


def _queue(
    *,
    firm: Firm,
    endpoint: WebhookEndpoint,
    event_id: str,
    event_type: str,
    occurred_at: str,
    data: dict[str, Any],
) -> WebhookDelivery:
    """Write one endpoint's outbox message and delivery row for an event."""
    body = {
        "id": event_id,
        "type": event_type,
        "occurred_at": occurred_at,
        "data": data,
    }
    message = outbox.outbox_enqueue(
        firm=firm,
        topic=TOPIC,
        payload={"endpoint_id": endpoint.pk, "body": body},
        idempotency_key=f"webhook:{endpoint.pk}:{event_id}",
        max_attempts=MAX_ATTEMPTS,
    )
    delivery = WebhookDelivery(
        firm=firm,
        endpoint=endpoint,
        message=message,
        event_id=event_id,
        event_type=event_type,
        created_at=message.created_at,
    )
    # Every field is set here from checked values: no full_clean.
    delivery.save()
    return delivery


def event_enqueue(event: events.RecordedEvent, subject: models.Model | None) -> None:
    """Queue ``event`` for every active endpoint of its firm that subscribed.

    The pipeline calls this inside the transaction that records the event
    (``events.register_writer``). An event no webhook offers costs nothing; one
    that does costs one query when no endpoint listens. Every endpoint gets
    the same event id, which stays the same on every retry.
    """
    events_enqueue([(event, subject)])


def _endpoints(firm_id: int) -> list[WebhookEndpoint]:
    """The firm's active endpoints, read once a transaction (``txmemo``): a
    lead's conversion records two events that a webhook offers."""
    key = endpoints_key(firm_id)
    found: list[WebhookEndpoint] | None = txmemo.get(key)
    if found is None:
        found = selectors.endpoints_active(firm_id=firm_id)
        txmemo.put(key, found)
    return found


def events_enqueue(
    pairs: Sequence[tuple[events.RecordedEvent, models.Model | None]],
) -> None:
    """Queue a batch of events (``events.record_many``), reading endpoints once.

    One query per firm whose events a webhook offers, however many events
    the batch holds (a worker's 20 Concert Hub outcomes: one, not 20).
    """
    listening: dict[int, list[WebhookEndpoint]] = {}
    for event, subject in pairs:
        spec = catalogue.for_source(event.subject, event.type)
        if spec is None:
            continue
        if event.firm_id not in listening:
            listening[event.firm_id] = _endpoints(event.firm_id)
        endpoints = [e for e in listening[event.firm_id] if e.subscribes_to(spec.name)]
        if not endpoints:
            continue
        event_id = new_event_id()
        occurred_at = timezone.now().isoformat()
        data = spec.data(event, subject)
        for endpoint in endpoints:
            _queue(
                firm=endpoint.firm,
                endpoint=endpoint,
                event_id=event_id,
                event_type=spec.name,
                occurred_at=occurred_at,
                data=data,
            )


@transaction.atomic
def endpoint_send_test(
    *, firm: Firm, actor: User | None, endpoint: WebhookEndpoint
) -> WebhookDelivery:
    """Queue a ``webhook.test`` event for this endpoint only (even if paused)."""
    ensure_same_firm(firm, endpoint)
    delivery = _queue(
        firm=firm,
        endpoint=endpoint,
        event_id=new_event_id(),
        event_type=catalogue.TEST_EVENT,
        occurred_at=timezone.now().isoformat(),
        data={"endpoint": {"id": endpoint.pk}, "message": "A test from Casework."},
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=delivery,
        verb=AuditVerb.CREATE,
        changes={"event_type": [None, catalogue.TEST_EVENT]},
    )
    return delivery


@transaction.atomic
def delivery_redrive(
    *, firm: Firm, actor: User | None, delivery: WebhookDelivery
) -> WebhookDelivery:
    """Send a failed delivery again, same event id, with a fresh set of tries."""
    ensure_same_firm(firm, delivery)
    if delivery.message.status != OutboxMessageStatus.FAILED:
        raise ApplicationError(
            "Only a delivery that failed can be sent again.", "invalid_status"
        )
    outbox.outbox_retry(firm=firm, message=delivery.message, actor=actor)
    return delivery
