"""Delivering a submission: the outbox handler and its outcome hook (G5, G6).

The worker calls :func:`deliver` outside any transaction, in the message
firm's scope; it posts the payload with the submission's one idempotency key
(while a worker holds the message, the submission shows as Sending: see
``Submission.shown_status``; no write is spent on it). :func:`on_outcome`
runs in the transaction that records the outbox attempt, and moves the
submission on with it: Received (the partner's id, the policies now
Submitted), Queued again for a retry, Rejected (a 4xx answer, with the
partner's errors) or Failed - needs attention (retries used up).
"""

from django.utils import timezone

from crm.concerthub import partner
from crm.concerthub.choices import AttemptOutcome, SubmissionEventType, SubmissionStatus
from crm.concerthub.models import Submission, SubmissionAttempt
from crm.core import events
from crm.core.outbound import post_json
from crm.core.outbox.choices import DeliveryAttemptOutcome
from crm.core.outbox.models import DeliveryAttempt, OutboxMessage
from crm.core.outbox.registry import DeliveryResult
from crm.protection.choices import PolicyStatus
from crm.protection.models import Policy

MESSAGE_MAX = 500


def deliver(message: OutboxMessage) -> DeliveryResult:
    """Post the submission to Concert Hub and say how it went."""
    if not partner.base_url():
        return DeliveryResult(
            ok=False, error="Concert Hub is not set up (CONCERT_HUB_URL is empty)."
        )
    result = post_json(
        url=partner.submissions_url(),
        payload=message.payload,
        idempotency_key=message.idempotency_key,
        timeout=partner.SEND_TIMEOUT,
    )
    return DeliveryResult.from_http(result)


def _partner_errors(attempt: DeliveryAttempt) -> list[dict[str, str]]:
    body = partner.parse_json(attempt.response_excerpt)
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [
        {
            "code": str(e.get("code", "")),
            "path": str(e.get("path", "")),
            "message": str(e.get("message", "")),
        }
        for e in errors
        if isinstance(e, dict)
    ]


def _summary(attempt: DeliveryAttempt, errors: list[dict[str, str]]) -> str:
    if errors:
        return "; ".join(e["message"] for e in errors)[:MESSAGE_MAX]
    if attempt.outcome == DeliveryAttemptOutcome.DELIVERED:
        return "Received"
    return (attempt.error or attempt.response_excerpt)[:MESSAGE_MAX]


def _received(submission: Submission, attempt: DeliveryAttempt) -> None:
    body = partner.parse_json(attempt.response_excerpt)
    body = body if isinstance(body, dict) else {}
    submission.status = SubmissionStatus.RECEIVED
    submission.partner_id = str(body.get("submission_id", ""))[:20]
    submission.received_at = timezone.now()
    Policy.objects.filter(
        firm_id=submission.firm_id,
        pk__in=[v for k, v in submission.refs.items() if k.startswith("P")],
        status__in=(PolicyStatus.QUOTED, PolicyStatus.RECOMMENDED),
    ).update(status=PolicyStatus.SUBMITTED)


def on_outcome(message: OutboxMessage, attempt: DeliveryAttempt) -> None:
    """Record the attempt on the submission and move the submission on."""
    # The message row is already locked by this transaction's update, and a
    # submission has one message, so no second lock is needed here.
    found = list(
        Submission.objects.select_related("case", "firm").filter(
            firm_id=message.firm_id, message=message
        )[:1]
    )
    if not found:
        return
    submission = found[0]
    errors = _partner_errors(attempt)
    rejected = attempt.status_code is not None and 400 <= attempt.status_code < 500
    if attempt.outcome == DeliveryAttemptOutcome.DELIVERED:
        outcome = AttemptOutcome.RECEIVED
    elif attempt.outcome == DeliveryAttemptOutcome.RETRY:
        outcome = AttemptOutcome.RETRY
    elif rejected:
        outcome = AttemptOutcome.REJECTED
    else:
        outcome = AttemptOutcome.FAILED
    summary = _summary(attempt, errors)
    SubmissionAttempt.objects.create(
        firm_id=submission.firm_id,
        submission=submission,
        started_at=attempt.started_at,
        duration_ms=attempt.duration_ms,
        status_code=attempt.status_code,
        outcome=outcome,
        message=summary,
    )
    event = None
    if outcome == AttemptOutcome.RECEIVED:
        _received(submission, attempt)
        event = SubmissionEventType.RECEIVED
    elif outcome == AttemptOutcome.RETRY:
        submission.status = SubmissionStatus.QUEUED
        submission.last_error = summary
    elif outcome == AttemptOutcome.REJECTED:
        submission.status = SubmissionStatus.REJECTED
        submission.errors = errors
        submission.last_error = summary
        event = SubmissionEventType.REJECTED
    else:
        submission.status = SubmissionStatus.FAILED
        submission.last_error = summary
        event = SubmissionEventType.FAILED
    submission.updated_at = timezone.now()
    submission.save(
        update_fields=[
            "status",
            "partner_id",
            "received_at",
            "errors",
            "last_error",
            "updated_at",
        ]
    )
    if event is not None:
        events.record(
            firm=submission.firm,
            actor=None,
            subject=submission.case,
            type=event,
            params={
                "number": submission.number,
                "reference": submission.partner_id,
                "errors": len(errors),
            },
        )
