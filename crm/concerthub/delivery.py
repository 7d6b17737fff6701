"""Delivering a submission: the outbox handler and its outcome hook (G5, G6).

The worker calls :func:`deliver` outside any transaction, in the message
firm's scope; it posts the payload with the submission's one idempotency key
(while a worker holds the message, the submission shows as Sending: see
``Submission.shown_status``; no write is spent on it). :func:`on_outcomes`
runs in the transaction that records the outbox attempt, and moves the
submission on with it: Received (the partner's id, the policies now
Submitted), Queued again for a retry, Rejected (a 4xx answer, with the
partner's errors) or Failed - needs attention (retries used up).
"""

from datetime import datetime
from typing import Any

from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from crm.concerthub import partner
from crm.concerthub.choices import AttemptOutcome, SubmissionEventType, SubmissionStatus
from crm.concerthub.models import Submission, SubmissionAttempt
from crm.concerthub.troubleshoot import describe
from crm.core import events
from crm.core.outbound import post_json
from crm.core.outbox.choices import DeliveryAttemptOutcome
from crm.core.outbox.models import DeliveryAttempt, OutboxMessage
from crm.core.outbox.registry import DeliveryResult, Outcome
from crm.protection import services as protection_services

MESSAGE_MAX = 500
SAVED_FIELDS = [
    "status",
    "partner_id",
    "received_at",
    "errors",
    "last_error",
    "updated_at",
]


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
        return "; ".join(
            f"{where}: {e['message']}"
            if (where := describe(e["path"]))
            else e["message"]
            for e in errors
        )[:MESSAGE_MAX]
    if attempt.outcome == DeliveryAttemptOutcome.DELIVERED:
        return "Received"
    return (attempt.error or attempt.response_excerpt)[:MESSAGE_MAX]


def _outcome(attempt: DeliveryAttempt) -> AttemptOutcome:
    rejected = attempt.status_code is not None and 400 <= attempt.status_code < 500
    if attempt.outcome == DeliveryAttemptOutcome.DELIVERED:
        return AttemptOutcome.RECEIVED
    if attempt.outcome == DeliveryAttemptOutcome.RETRY:
        return AttemptOutcome.RETRY
    return AttemptOutcome.REJECTED if rejected else AttemptOutcome.FAILED


def _move(
    submission: Submission,
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
    now: datetime,
) -> tuple[str, list[dict[str, str]]]:
    """Set the submission's new state on it; return the summary and errors."""
    errors = _partner_errors(attempt)
    summary = _summary(attempt, errors)
    if outcome == AttemptOutcome.RECEIVED:
        body = partner.parse_json(attempt.response_excerpt)
        body = body if isinstance(body, dict) else {}
        submission.status = SubmissionStatus.RECEIVED
        submission.partner_id = str(body.get("submission_id", ""))[:20]
        submission.received_at = now
    elif outcome == AttemptOutcome.RETRY:
        submission.status = SubmissionStatus.QUEUED
        submission.last_error = summary
    elif outcome == AttemptOutcome.REJECTED:
        submission.status = SubmissionStatus.REJECTED
        submission.errors = errors
        submission.last_error = summary
    else:
        submission.status = SubmissionStatus.FAILED
        submission.last_error = summary
    submission.updated_at = now
    return summary, errors


def _save(moved: list[Submission], now: datetime) -> None:
    """Save the moved submissions: the received ones (nearly all) in one update.

    Received ones differ only in the partner's id, so one ``CASE`` on that
    column replaces ``bulk_update``'s six (whose expressions cost more Python
    than the rest of a batch's recording); the few others use ``bulk_update``.
    """
    received = [s for s in moved if s.status == SubmissionStatus.RECEIVED]
    others = [s for s in moved if s.status != SubmissionStatus.RECEIVED]
    if received:
        Submission.objects.filter(pk__in=[s.pk for s in received]).update(
            status=SubmissionStatus.RECEIVED,
            received_at=now,
            updated_at=now,
            partner_id=Case(
                *(When(pk=s.pk, then=Value(s.partner_id)) for s in received),
                output_field=CharField(),
            ),
        )
    if others:
        Submission.objects.bulk_update(others, SAVED_FIELDS)


EVENTS = {
    AttemptOutcome.RECEIVED: SubmissionEventType.RECEIVED,
    AttemptOutcome.REJECTED: SubmissionEventType.REJECTED,
    AttemptOutcome.FAILED: SubmissionEventType.FAILED,
}


def on_outcomes(outcomes: list[Outcome]) -> None:
    """Record one firm's attempts on their submissions and move those on.

    A few statements for the whole batch: the submissions read together,
    their attempt rows inserted together, the received ones' policies marked
    Submitted in one update, the submissions saved in one update, and the
    case history of each received, rejected or failed one in one insert.
    """
    # The message rows are already locked by this transaction's update, and
    # a submission has one message, so no second lock is needed here.
    firm_id = outcomes[0][0].firm_id
    now = timezone.now()
    found = {
        s.message_id: s
        for s in Submission.objects.select_related("case", "firm").filter(
            firm_id=firm_id, message_id__in=[m.pk for m, _ in outcomes]
        )
    }
    rows: list[SubmissionAttempt] = []
    moved: list[Submission] = []
    policies: list[Any] = []
    history: list[events.Happened] = []
    for message, attempt in outcomes:
        submission = found.get(message.pk)
        if submission is None:
            continue
        outcome = _outcome(attempt)
        summary, errors = _move(submission, attempt, outcome, now)
        rows.append(
            SubmissionAttempt(
                firm_id=submission.firm_id,
                submission=submission,
                started_at=attempt.started_at,
                duration_ms=attempt.duration_ms,
                status_code=attempt.status_code,
                outcome=outcome,
                message=summary,
            )
        )
        moved.append(submission)
        if outcome == AttemptOutcome.RECEIVED:
            policies.extend(v for k, v in submission.refs.items() if k.startswith("P"))
        if outcome in EVENTS:
            history.append(
                events.Happened(
                    subject=submission.case,
                    type=EVENTS[outcome],
                    params={
                        "number": submission.number,
                        "reference": submission.partner_id,
                        "errors": len(errors),
                    },
                )
            )
    if not moved:
        return
    SubmissionAttempt.objects.bulk_create(rows)
    if policies:
        protection_services.policies_mark_submitted(
            firm_id=firm_id, policy_ids=policies
        )
    _save(moved, now)
    if history:
        events.record_many(firm=moved[0].firm, actor=None, happened=history)
