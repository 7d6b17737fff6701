"""Demo webhooks for the advice firm (SPEC K3).

One endpoint, "Case tracker (local)", on ``http://127.0.0.1:8765/webhooks``:
the Concert Hub simulator that ``make run`` starts answers there, so with the
outbox worker running new events show as delivered. Its log starts with a
few deliveries already made and one that failed (the receiver answered 410),
ready for "Send again". They are written directly: the simulator need not be
running while the demo loads.
"""

from datetime import timedelta

from django.utils import timezone

from crm.cases.models import Case
from crm.core.outbox.choices import DeliveryAttemptOutcome, OutboxMessageStatus
from crm.core.outbox.models import DeliveryAttempt, OutboxMessage
from crm.firms.demo import ADVICE_FIRM
from crm.firms.models import Firm
from crm.webhooks import catalogue, services, signing
from crm.webhooks.delivery import TOPIC
from crm.webhooks.models import WebhookDelivery, WebhookEndpoint

URL = "http://127.0.0.1:8765/webhooks"
NAME = "Case tracker (local)"
EVENTS = [
    "case.created",
    "case.status_changed",
    "case.closed",
    "submission.received",
    "submission.rejected",
    "submission.failed",
]
DELIVERED = 3


def _delivery(
    firm: Firm,
    endpoint: WebhookEndpoint,
    case: Case,
    *,
    minutes_ago: int,
    status_code: int,
    ok: bool,
) -> None:
    """Write one past delivery of a ``case.status_changed`` event and its try."""
    at = timezone.now() - timedelta(minutes=minutes_ago)
    event_id = services.new_event_id()
    spec = catalogue.for_source("case", "status_changed")
    assert spec is not None  # noqa: S101  # listed in the catalogue
    body = {
        "id": event_id,
        "type": spec.name,
        "occurred_at": at.isoformat(),
        "data": {
            "case": {
                "id": case.pk,
                "reference": case.reference,
                "kind": case.kind,
                "status": case.status,
                "is_open": case.is_open,
            },
            "from": None,
            "to": case.status,
        },
    }
    error = "" if ok else "HTTP 410 Gone"
    message = OutboxMessage.objects.create(
        firm=firm,
        topic=TOPIC,
        payload={"endpoint_id": endpoint.pk, "body": body},
        idempotency_key=f"webhook:{endpoint.pk}:{event_id}",
        status=OutboxMessageStatus.DELIVERED if ok else OutboxMessageStatus.FAILED,
        attempts=1,
        max_attempts=services.MAX_ATTEMPTS,
        next_attempt_at=at,
        created_at=at,
        delivered_at=at if ok else None,
        last_error=error,
    )
    DeliveryAttempt.objects.create(
        firm=firm,
        message=message,
        started_at=at,
        duration_ms=40 + minutes_ago % 50,
        status_code=status_code,
        outcome=DeliveryAttemptOutcome.DELIVERED
        if ok
        else DeliveryAttemptOutcome.FAILED,
        error=error,
    )
    WebhookDelivery.objects.create(
        firm=firm,
        endpoint=endpoint,
        message=message,
        event_id=event_id,
        event_type=spec.name,
        created_at=at,
        last_attempt_at=at,
        last_status_code=status_code,
        last_duration_ms=40 + minutes_ago % 50,
        last_error=error,
    )


def seed(firms: dict[str, Firm]) -> None:
    """Register the demo endpoint with a short delivery log, once."""
    firm = firms[ADVICE_FIRM]
    if WebhookEndpoint.objects.filter(firm=firm).exists():
        return
    cases = list(Case.objects.filter(firm=firm).order_by("id")[: DELIVERED + 1])
    if not cases:
        return
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        firm=firm,
        name=NAME,
        url=URL,
        event_types=EVENTS,
        secret=secret,
        secret_prefix=secret[: services.SECRET_PREFIX_LENGTH],
        consecutive_failures=1,
        last_success_at=timezone.now() - timedelta(minutes=80),
        last_failure_at=timezone.now() - timedelta(minutes=20),
    )
    for index, case in enumerate(cases[:DELIVERED]):
        _delivery(
            firm,
            endpoint,
            case,
            minutes_ago=180 - index * 50,
            status_code=200,
            ok=True,
        )
    _delivery(firm, endpoint, cases[-1], minutes_ago=20, status_code=410, ok=False)
