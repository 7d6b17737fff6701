"""A real receiver on localhost, taken down and brought back (SPEC K3, issue 17)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.advice.choices import AdviceStatus
from crm.cases.services import case_move
from crm.cases.tests.factories import make_case
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.core.outbox.worker import OutboxWorker
from crm.webhooks import services
from crm.webhooks.choices import EndpointHealth
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint
from crm.webhooks.tests.receiver import Receiver


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOCALHOST = True
    receiver = Receiver(secret="")
    receiver.start()
    yield receiver
    receiver.stop()


def drain() -> int:
    """Run the outbox worker until nothing is due; return the tries made."""
    return OutboxWorker(idle_sleep=0).run_once()


def time_passes() -> None:
    """Make every waiting retry due now (the backoff has run out)."""
    OutboxMessage.objects.filter(status=OutboxMessageStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )


@pytest.mark.django_db
def test_receiver_gets_each_event_once_across_an_outage(firm, owner, receiver):
    """SPEC K3: each event reaches the receiver once (by id), signed, across outages.

    Up, down (connection refused), back with a lost answer (503 after handling)
    and a 429 with Retry-After: after the worker drains, every event was
    handled once, repeats carried the same id, and every signature verified.
    """
    endpoint, secret = services.endpoint_create(
        firm=firm,
        actor=owner.user,
        name="Tracker",
        url=receiver.url,
        event_types=["case.created", "case.status_changed"],
    )
    receiver.seen.secret = secret
    first = make_case(firm)
    assert drain() == 1
    assert len(receiver.seen.handled) == 1

    receiver.stop()
    second = make_case(firm)
    case_move(firm=firm, actor=owner.user, case=first, status=AdviceStatus.CALL_BACK)
    assert drain() == 2
    assert OutboxMessage.objects.filter(status=OutboxMessageStatus.PENDING).count() == 2

    receiver.start()
    receiver.seen.script = [(503, {}), (429, {"Retry-After": "600"})]
    time_passes()
    assert drain() == 2
    waiting = OutboxMessage.objects.get(
        status=OutboxMessageStatus.PENDING, delivery_attempts__status_code=429
    )
    assert waiting.next_attempt_at >= timezone.now() + timedelta(seconds=590)
    endpoint.refresh_from_db()
    assert endpoint.health == EndpointHealth.FAILING

    time_passes()
    assert drain() == 2
    assert drain() == 0

    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert {d.message.status for d in deliveries} == {OutboxMessageStatus.DELIVERED}
    assert set(receiver.seen.handled) == {d.event_id for d in deliveries}
    assert len(receiver.seen.handled) == 3
    assert sum(receiver.seen.repeats.values()) == 1
    assert receiver.seen.bad_signatures == 0
    handled = list(receiver.seen.handled.values())
    assert [e["type"] for e in handled] == [
        "case.created",
        "case.created",
        "case.status_changed",
    ]
    moved = handled[2]["data"]
    assert moved["case"]["id"] == first.pk
    assert (moved["from"], moved["to"]) == ("new_lead", "call_back")
    assert {e["data"]["case"]["reference"] for e in handled} == {
        first.reference,
        second.reference,
    }
    endpoint = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert endpoint.health == EndpointHealth.ACTIVE
    assert endpoint.last_success_at is not None


@pytest.mark.django_db
def test_refused_answer_fails_at_once_and_redrive_delivers(firm, owner, receiver):
    """SPEC K3: a 4xx (not 408/429) fails without retry; redrive sends it again."""
    endpoint, secret = services.endpoint_create(
        firm=firm,
        actor=owner.user,
        name="Tracker",
        url=receiver.url,
        event_types=["case.created"],
    )
    receiver.seen.secret = secret
    receiver.seen.script = [(410, {})]
    delivery = services.endpoint_send_test(
        firm=firm, actor=owner.user, endpoint=endpoint
    )
    assert drain() == 1
    delivery.refresh_from_db()
    delivery.message.refresh_from_db()
    assert delivery.message.status == OutboxMessageStatus.FAILED
    assert delivery.message.attempts == 1
    assert delivery.last_status_code == 410

    services.delivery_redrive(firm=firm, actor=owner.user, delivery=delivery)
    assert drain() == 1
    delivery.message.refresh_from_db()
    assert delivery.message.status == OutboxMessageStatus.DELIVERED
    assert list(receiver.seen.handled) == [delivery.event_id]


@pytest.mark.django_db
def test_rotated_secret_signs_the_next_try(firm, owner, receiver):
    """SPEC K3: after a rotation, retries are signed with the new secret."""
    endpoint, old = services.endpoint_create(
        firm=firm,
        actor=owner.user,
        name="Tracker",
        url=receiver.url,
        event_types=["case.created"],
    )
    make_case(firm)
    endpoint, new = services.endpoint_rotate_secret(
        firm=firm, actor=owner.user, endpoint=endpoint
    )
    assert new != old
    receiver.seen.secret = new
    assert drain() == 1
    assert receiver.seen.bad_signatures == 0
    assert len(receiver.seen.handled) == 1


@pytest.mark.django_db
def test_localhost_refused_at_delivery_outside_development(
    firm, owner, receiver, settings
):
    """SPEC K3: a localhost endpoint gets nothing once development mode is off."""
    endpoint, _secret = services.endpoint_create(
        firm=firm,
        actor=owner.user,
        name="Tracker",
        url=receiver.url,
        event_types=["case.created"],
    )
    settings.WEBHOOKS_ALLOW_LOCALHOST = False
    delivery = services.endpoint_send_test(
        firm=firm, actor=owner.user, endpoint=endpoint
    )
    assert drain() == 1
    delivery.message.refresh_from_db()
    assert delivery.message.status == OutboxMessageStatus.FAILED
    assert receiver.seen.requests == 0
