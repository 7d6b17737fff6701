"""Writes of Concert Hub submissions: send, send again, amend (G4-G6).

A send checks readiness, builds the payload and writes the submission and
its outbox message in one transaction with the case's history entry; the
outbox worker delivers it (``crm.concerthub.delivery``). One idempotency key
per submission, kept through every retry and redrive, lets the partner
answer a resend with its first answer instead of storing it twice.
"""

import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.advice.readiness import Blocker, case_readiness
from crm.cases.models import Case
from crm.concerthub import selectors
from crm.concerthub.choices import (
    LOCKING_STATUSES,
    SubmissionEventType,
    SubmissionStatus,
)
from crm.concerthub.models import Submission
from crm.concerthub.payload import case_payload, comparable
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.outbox import services as outbox
from crm.core.outbox.jobs import outbox_deliver_job
from crm.core.outbox.models import OutboxMessage
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

TOPIC = "concerthub.submission"
REASON_MAX = 1000


class NotReady(ApplicationError):
    """The case has blockers; ``blockers`` lists each with its link."""

    def __init__(self, blockers: list[Blocker]) -> None:
        count = len(blockers)
        super().__init__(
            f"{count} thing{'s' if count != 1 else ''} must be fixed before "
            "sending to Concert Hub: see Readiness.",
            "not_ready",
        )
        self.blockers = blockers


def _lock_case(firm: Firm, case: Case) -> None:
    """Serialise sends and amendments of one case (a double click sends once)."""
    ensure_same_firm(firm, case)
    if case.kind != AdviceKind.PROTECTION:
        raise ApplicationError("Only protection cases go to Concert Hub.", "invalid")
    Case.objects.select_for_update().filter(firm=firm, pk=case.pk).first()


def _deliver_soon(message: OutboxMessage) -> None:
    """Ask the background worker for a prompt first try once this commits."""
    transaction.on_commit(lambda: outbox_deliver_job.enqueue(message_id=message.pk))


def _next_number(firm: Firm, case: Case) -> int:
    found = Submission.objects.filter(firm=firm, case=case).aggregate(n=Max("number"))
    return int(found["n"] or 0) + 1


@transaction.atomic
def submission_send(*, firm: Firm, actor: User | None, case: Case) -> Submission:
    """Queue the case's KYC and M&P data for Concert Hub (G4, G5).

    Refused while a submission is queued, sending or received (the data is
    locked: amend instead), after a failure (send that one again instead, so
    the partner never gets it twice), and while anything blocks the case.
    After a rejection this is Resubmit; on an amendment it sends the amended
    data linked to the submission it amends, and refuses when nothing changed.
    """
    _lock_case(firm, case)
    latest = selectors.latest_submission(firm=firm, case=case)
    if latest is not None and latest.status in LOCKING_STATUSES:
        raise ApplicationError(
            "This case is already with Concert Hub: use Amend and resubmit to "
            "change it.",
            "already_sent",
        )
    if latest is not None and latest.status == SubmissionStatus.FAILED:
        raise ApplicationError(
            "The last submission did not get through: use Send again, so "
            "Concert Hub never receives the case twice.",
            "failed",
        )
    blockers = case_readiness(firm=firm, case=case)
    if blockers:
        raise NotReady(blockers)
    amending = latest if latest and latest.status == SubmissionStatus.AMENDING else None
    amends = amending.previous if amending else None
    amends_id = amends.partner_id if amends else ""
    reason = amending.reason if amending else ""
    if latest is not None and latest.status == SubmissionStatus.REJECTED:
        # Resubmitting a rejected amendment still amends what was received.
        amends_id = str(latest.payload.get("amends_submission_id") or "")
        reason = latest.reason
    built = case_payload(firm=firm, case=case, amends=amends_id, reason=reason)
    if amends is not None and comparable(built.payload) == comparable(amends.payload):
        raise ApplicationError(
            f"Nothing has changed since {amends}: change what needs amending, "
            "or cancel the amendment.",
            "unchanged",
        )
    now = timezone.now()
    if amending is not None:
        submission = amending
    else:
        if latest is not None:
            Submission.objects.filter(pk=latest.pk).update(is_latest=False)
        submission = Submission(
            firm=firm,
            case=case,
            number=_next_number(firm, case),
            previous=latest,
            reason=reason,
            created_at=now,
        )
    key = f"casework-{firm.pk}-{uuid.uuid4().hex}"
    submission.status = SubmissionStatus.QUEUED
    submission.idempotency_key = key
    submission.payload = built.payload
    submission.refs = built.refs
    submission.sent_by = actor if actor and actor.is_authenticated else None
    submission.sent_at = now
    submission.updated_at = now
    submission.errors = []
    submission.last_error = ""
    submission.is_latest = True
    submission.save()
    message = outbox.outbox_enqueue(
        firm=firm, topic=TOPIC, payload=built.payload, idempotency_key=key
    )
    submission.message = message
    submission.save(update_fields=["message"])
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SubmissionEventType.QUEUED,
        params={
            "number": submission.number,
            "amends": str(amends) if amends else "",
            "resubmits": str(latest) if latest and not amending else "",
        },
        verb=AuditVerb.CREATE,
        audit_obj=submission,
    )
    _deliver_soon(message)
    return submission


@transaction.atomic
def submission_redrive(
    *, firm: Firm, actor: User | None, submission: Submission
) -> Submission:
    """Send a failed submission again with the same key (G5, "needs attention").

    The partner answers a key it has seen with its first answer, so a
    submission that did arrive while its answers were lost is not stored twice.
    """
    ensure_same_firm(firm, submission)
    _lock_case(firm, submission.case)
    current = Submission.objects.select_for_update().get(firm=firm, pk=submission.pk)
    if current.status != SubmissionStatus.FAILED or current.message is None:
        raise ApplicationError(
            "Only a submission that failed can be sent again.", "invalid_status"
        )
    outbox.outbox_retry(firm=firm, message=current.message, actor=actor)
    current.status = SubmissionStatus.QUEUED
    current.last_error = ""
    current.updated_at = timezone.now()
    current.save(update_fields=["status", "last_error", "updated_at"])
    events.record(
        firm=firm,
        actor=actor,
        subject=current.case,
        type=SubmissionEventType.REDRIVEN,
        params={"number": current.number},
        verb=AuditVerb.STATUS_CHANGE,
        audit_obj=current,
        changes={"status": [SubmissionStatus.FAILED, SubmissionStatus.QUEUED]},
    )
    _deliver_soon(current.message)
    return current


@transaction.atomic
def amendment_start(
    *, firm: Firm, actor: User | None, case: Case, reason: str
) -> Submission:
    """Unlock a received submission's data for an amendment, recording why (G4)."""
    _lock_case(firm, case)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            "Say why the submission is being amended.", "invalid", {"field": "reason"}
        )
    if len(reason) > REASON_MAX:
        raise ApplicationError(
            f"Keep the reason under {REASON_MAX} characters.",
            "invalid",
            {"field": "reason"},
        )
    latest = selectors.latest_submission(firm=firm, case=case)
    if latest is None or latest.status != SubmissionStatus.RECEIVED:
        raise ApplicationError(
            "Only a submission Concert Hub has received can be amended.",
            "invalid_status",
        )
    Submission.objects.filter(pk=latest.pk).update(is_latest=False)
    now = timezone.now()
    amendment = Submission.objects.create(
        firm=firm,
        case=case,
        number=latest.number + 1,
        status=SubmissionStatus.AMENDING,
        idempotency_key=f"amending-{uuid.uuid4().hex}",
        previous=latest,
        reason=reason,
        sent_by=actor if actor and actor.is_authenticated else None,
        created_at=now,
        updated_at=now,
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SubmissionEventType.AMENDING,
        params={"amends": str(latest), "reason": reason},
        verb=AuditVerb.CREATE,
        audit_obj=amendment,
    )
    return amendment


@transaction.atomic
def amendment_cancel(*, firm: Firm, actor: User | None, case: Case) -> None:
    """Drop an amendment not yet sent; the received submission locks again.

    Changes made meanwhile stay; the next amendment shows them.
    """
    _lock_case(firm, case)
    latest = selectors.latest_submission(firm=firm, case=case)
    if latest is None or latest.status != SubmissionStatus.AMENDING:
        raise ApplicationError("There is no amendment to cancel.", "invalid_status")
    previous = latest.previous
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=SubmissionEventType.AMENDMENT_CANCELLED,
        params={"amends": str(previous) if previous else ""},
        verb=AuditVerb.DELETE,
        audit_obj=latest,
    )
    latest.delete()
    if previous is not None:
        Submission.objects.filter(pk=previous.pk).update(is_latest=True)
