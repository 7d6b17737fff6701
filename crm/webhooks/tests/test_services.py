"""Webhook services: endpoints, URLs, queuing at the pipeline seam (SPEC K3)."""

import json
import socket

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from crm.advice.choices import AdviceStatus
from crm.cases.services import case_move
from crm.cases.tests.factories import make_case
from crm.core import events
from crm.core.events import RecordedEvent
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.leads.tests.factories import LeadFactory
from crm.webhooks import services, signing
from crm.webhooks.delivery import body_bytes
from crm.webhooks.models import WebhookDelivery
from crm.webhooks.tests.factories import EVENTS, make_endpoint

PUBLIC = "https://93.184.215.14/casework"


def create(firm, owner, **kwargs):
    values = {"name": "Tracker", "url": PUBLIC, "event_types": EVENTS} | kwargs
    return services.endpoint_create(firm=firm, actor=owner.user, **values)


@pytest.mark.django_db
def test_create_returns_secret_once_and_audits(firm, owner):
    """SPEC K3: an endpoint gets a whsec_ secret; the audit log names no secret."""
    endpoint, secret = create(firm, owner)
    assert secret.startswith("whsec_")
    assert endpoint.secret == secret
    assert endpoint.secret_prefix == secret[:12]
    audit = AuditEvent.objects.get(object_type="webhooks.webhookendpoint")
    assert secret not in json.dumps(audit.changes)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Enter the URL"),
        ("ftp://files.example.com/x", "starts with https"),
        ("http://hooks.example.com/x", "Plain http:// is allowed only to localhost"),
        ("https://user:pw@hooks.example.com/x", "user name and password"),
        ("https://10.0.0.5/x", "private network"),
        ("https://192.168.1.10/x", "private network"),
        ("https://169.254.169.254/latest", "private network"),
        ("https://[fd00::1]/x", "private network"),
        ("https://printer.local/x", "private network"),
        ("http://localhost:9000/x", "development only"),
        ("http://127.0.0.1:9000/x", "development only"),
        ("https://[::1]/x", "development only"),
        ("https://hooks.example.com:99999/x", "valid URL"),
    ],
)
@pytest.mark.django_db
def test_refused_urls_say_why(firm, owner, url, message):
    """SPEC K3: https only, no private ranges, localhost only in development."""
    with pytest.raises(ApplicationError, match=message) as caught:
        create(firm, owner, url=url)
    assert caught.value.field == "url"


@pytest.mark.django_db
def test_name_resolving_to_a_private_address_is_refused(firm, owner, monkeypatch):
    """SPEC K3: a public-looking name that resolves to 10.x is refused (SSRF)."""

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(ApplicationError, match="private network"):
        create(firm, owner, url="https://hooks.example.com/x")


@pytest.mark.django_db
def test_name_resolving_publicly_or_not_at_all_is_accepted(firm, owner, monkeypatch):
    """SPEC K3: a public name is accepted; an unresolvable one is checked per try."""

    def public(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", public)
    assert create(firm, owner, url="https://hooks.example.com/x")[0].pk

    def missing(host, port, *args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", missing)
    assert create(firm, owner, url="https://new.example.com/x")[0].pk


@pytest.mark.django_db
def test_localhost_allowed_in_development(firm, owner, settings):
    """SPEC K3: localhost and 127.0.0.1 are allowed with WEBHOOKS_ALLOW_LOCALHOST."""
    settings.WEBHOOKS_ALLOW_LOCALHOST = True
    assert create(firm, owner, url="http://localhost:9000/x")[0].pk
    assert create(firm, owner, url="http://127.0.0.1:9000/x")[0].pk
    with pytest.raises(ApplicationError, match="private network"):
        create(firm, owner, url="https://10.0.0.5/x")


@pytest.mark.django_db
def test_name_and_events_are_required(firm, owner):
    """SPEC K3: a blank name or no (or an unknown) event is refused on its field."""
    with pytest.raises(ApplicationError, match="Enter a name") as caught:
        create(firm, owner, name="  ")
    assert caught.value.field == "name"
    for chosen in ([], ["case.created", "case.exploded"]):
        with pytest.raises(ApplicationError, match="at least one") as caught:
            create(firm, owner, event_types=chosen)
        assert caught.value.field == "event_types"


@pytest.mark.django_db
def test_event_queues_one_message_per_listening_endpoint(firm, other_firm, owner):
    """SPEC K3: one outbox message per matching endpoint, the same event id."""
    a = make_endpoint(firm, name="A")
    b = make_endpoint(firm, name="B", event_types=["case.created"])
    make_endpoint(firm, name="Paused", is_active=False)
    make_endpoint(firm, name="Other events", event_types=["lead.created"])
    make_endpoint(other_firm, name="Other firm")
    case = make_case(firm)
    deliveries = list(WebhookDelivery.objects.order_by("endpoint__name"))
    assert [d.endpoint for d in deliveries] == [a, b]
    assert deliveries[0].event_id == deliveries[1].event_id
    body = deliveries[0].message.payload["body"]
    assert body["type"] == "case.created"
    assert body["data"]["case"] == {
        "id": case.pk,
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "is_open": True,
    }
    assert "firm" not in json.dumps(body)
    assert deliveries[0].message.idempotency_key == f"webhook:{a.pk}:{body['id']}"


@pytest.mark.django_db
def test_event_rolls_back_with_its_change(firm, owner):
    """SPEC K3: the message is written in the change's transaction, or not at all."""
    make_endpoint(firm)
    case = make_case(firm)
    before = OutboxMessage.objects.count()
    inside = []

    def move_then_fail():
        with transaction.atomic():
            case_move(
                firm=firm, actor=owner.user, case=case, status=AdviceStatus.CALL_BACK
            )
            inside.append(OutboxMessage.objects.count())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        move_then_fail()
    assert inside == [before + 1]
    assert OutboxMessage.objects.count() == before


@pytest.mark.django_db
def test_closing_a_case_is_its_own_event(firm, owner):
    """SPEC K3: a move into a closed status is case.closed, with from and to."""
    make_endpoint(firm, event_types=["case.closed"])
    case = make_case(firm)
    case_move(
        firm=firm,
        actor=owner.user,
        case=case,
        status=AdviceStatus.NOT_PROCEEDING_WITH,
        reason="Went elsewhere",
    )
    body = WebhookDelivery.objects.get().message.payload["body"]
    assert body["type"] == "case.closed"
    assert body["data"]["to"] == AdviceStatus.NOT_PROCEEDING_WITH
    assert body["data"]["case"]["is_open"] is False
    assert "Went elsewhere" not in json.dumps(body)


@pytest.mark.django_db
def test_firm_without_endpoints_pays_one_query_per_offered_event(
    firm, django_assert_num_queries
):
    """SPEC K3: with no endpoint, a webhook-able event costs one indexed query."""
    event = RecordedEvent(
        firm_id=firm.pk,
        subject="case",
        subject_id="1",
        type="created",
        params={},
        changes={},
        actor_id=None,
    )
    with django_assert_num_queries(1):
        services.event_enqueue(event, None)
    with django_assert_num_queries(0):
        services.event_enqueue(
            RecordedEvent(**{**event.__dict__, "type": "document_deleted"}), None
        )


@pytest.mark.django_db
def test_a_batch_of_events_reads_the_endpoints_once_and_queues_each(
    firm, django_assert_num_queries
):
    """SPEC K3, G5: a worker's batch (``record_many``) asks for endpoints once,
    and every event still gets its own delivery to each listening endpoint."""
    endpoint = make_endpoint(firm, event_types=["case.created"])
    make_endpoint(firm, name="Paused", is_active=False)
    created = [
        RecordedEvent(
            firm_id=firm.pk,
            subject="case",
            subject_id=str(n),
            type="created",
            params={},
            changes={},
            actor_id=None,
        )
        for n in (1, 2, 3)
    ]
    unoffered = RecordedEvent(**{**created[0].__dict__, "type": "document_deleted"})
    pairs = [(e, None) for e in [*created, unoffered]]
    # One event alone: one read of the endpoints, then its message and delivery.
    with CaptureQueriesContext(connection) as alone:
        services.event_enqueue(created[0], None)
    per_event = len(alone) - 1
    # The batch reads the endpoints once, then queues each event as before.
    with django_assert_num_queries(1 + per_event * len(created[1:])):
        services.events_enqueue(pairs[1:])
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert deliveries.count() == 3
    assert len(set(deliveries.values_list("event_id", flat=True))) == 3
    assert not WebhookDelivery.objects.exclude(endpoint=endpoint).exists()


@pytest.mark.django_db
def test_update_pauses_and_audits(firm, owner):
    """SPEC K3: pausing stops new events; the change is audited."""
    endpoint, _secret = create(firm, owner)
    services.endpoint_update(
        firm=firm,
        actor=owner.user,
        endpoint=endpoint,
        name="Tracker",
        url=PUBLIC,
        event_types=EVENTS,
        is_active=False,
    )
    make_case(firm)
    assert not WebhookDelivery.objects.exists()
    audit = AuditEvent.objects.filter(object_type="webhooks.webhookendpoint").first()
    assert audit is not None
    assert audit.changes == {"is_active": [True, False]}


@pytest.mark.django_db
def test_update_of_another_firms_endpoint_is_not_found(firm, other_firm, owner):
    """STYLE T6: a service refuses another firm's endpoint."""
    endpoint = make_endpoint(other_firm)
    with pytest.raises(ApplicationError):
        services.endpoint_rotate_secret(firm=firm, actor=owner.user, endpoint=endpoint)


@pytest.mark.django_db
def test_redrive_only_failed(firm, owner):
    """SPEC K3: only a failed delivery can be sent again, with the same id."""
    endpoint = make_endpoint(firm)
    delivery = services.endpoint_send_test(
        firm=firm, actor=owner.user, endpoint=endpoint
    )
    with pytest.raises(ApplicationError, match="Only a delivery that failed"):
        services.delivery_redrive(firm=firm, actor=owner.user, delivery=delivery)
    OutboxMessage.objects.filter(pk=delivery.message_id).update(
        status=OutboxMessageStatus.FAILED
    )
    delivery.message.refresh_from_db()
    services.delivery_redrive(firm=firm, actor=owner.user, delivery=delivery)
    delivery.message.refresh_from_db()
    assert delivery.message.status == OutboxMessageStatus.PENDING
    assert delivery.message.payload["body"]["id"] == delivery.event_id


def test_signature_is_hmac_of_timestamp_dot_body():
    """SPEC K3: v1 = HMAC-SHA256(secret, "timestamp.body"); stale or forged fail."""
    body = body_bytes({"id": "evt_1", "type": "webhook.test"})
    assert body == b'{"id":"evt_1","type":"webhook.test"}'
    headers = signing.headers(
        secret="whsec_x", body=body, event_id="evt_1", event_type="webhook.test"
    )
    stamp, sig = headers["Casework-Timestamp"], headers["Casework-Signature"]
    assert signing.verify(
        secret="whsec_x", timestamp=stamp, signature_header=sig, body=body
    )
    assert not signing.verify(
        secret="whsec_y", timestamp=stamp, signature_header=sig, body=body
    )
    assert not signing.verify(
        secret="whsec_x", timestamp=stamp, signature_header=sig, body=body + b" "
    )
    assert not signing.verify(
        secret="whsec_x",
        timestamp=stamp,
        signature_header=sig,
        body=body,
        now=int(stamp) + 301,
    )
    assert not signing.verify(
        secret="whsec_x", timestamp="soon", signature_header=sig, body=body
    )


@pytest.mark.django_db
def test_submission_and_lead_events_carry_their_ids(firm, owner):
    """SPEC K3: submission events name the submission; lead events the lead."""
    make_endpoint(firm, event_types=["submission.received", "lead.converted"])
    case = make_case(firm)
    events.record(
        firm=firm,
        actor=None,
        subject=case,
        type="ch_received",
        params={"number": 2, "reference": "CH-77", "errors": 0},
    )
    lead = LeadFactory(contact__firm=firm)
    events.record(
        firm=firm,
        actor=owner.user,
        subject=lead,
        type="converted",
        params={"from": "new", "case": case.reference, "case_id": case.pk},
    )
    bodies = [
        d.message.payload["body"]
        for d in WebhookDelivery.objects.order_by("created_at", "id")
    ]
    assert [b["type"] for b in bodies] == ["submission.received", "lead.converted"]
    assert bodies[0]["data"]["submission"] == {
        "number": 2,
        "partner_reference": "CH-77",
        "errors": 0,
    }
    assert bodies[1]["data"]["lead"] == {"id": lead.pk, "status": lead.status}
    assert bodies[1]["data"]["case"] == {"id": case.pk}
