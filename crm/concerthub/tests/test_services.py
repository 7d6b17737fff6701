"""Sending to Concert Hub through the outbox, end to end with the simulator (G4-G6)."""

import pytest
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.concerthub import services, troubleshoot
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.diff import pending_changes
from crm.concerthub.models import Submission
from crm.concerthub.tests.factories import ready_case
from crm.concerthub.tests.helpers import deliver_once, drain
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.protection import services as protection
from crm.protection.choices import PolicyStatus
from crm.protection.models import Policy
from crm.protection.tests.factories import protection_case


def send(case):
    return services.submission_send(firm=case.firm, actor=None, case=case)


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def event_types(case):
    return list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))


def test_send_is_refused_while_anything_blocks_the_case(firm):
    """Readiness lists the Fact Find, the policy and the network prerequisites (G4)."""
    case = protection_case(firm, complete=False)
    with pytest.raises(services.NotReady) as refused:
        send(case)
    fields = {b.field for b in refused.value.blockers}
    assert {"policies", "firm_id", "date_of_birth"} <= fields
    assert not Submission.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_send_writes_the_submission_and_its_message_together(firm):
    """One transaction: submission, outbox message with its key, history, audit (G5)."""
    case = ready_case(firm)
    submission = send(case)
    message = OutboxMessage.objects.get()
    assert submission.status == SubmissionStatus.QUEUED
    assert submission.message == message
    assert message.idempotency_key == submission.idempotency_key
    assert message.payload == submission.payload
    assert "ch_queued" in event_types(case)
    assert AuditEvent.objects.filter(object_id=str(submission.pk)).exists()


def test_the_worker_delivers_it_and_it_is_received(firm, hub):
    """Received: the partner's id, the attempt, policies Submitted, history (G6)."""
    case = ready_case(firm)
    submission = send(case)
    assert deliver_once() == 1
    submission = fresh(submission)
    assert submission.status == SubmissionStatus.RECEIVED
    assert submission.partner_id == "CH-000001"
    attempt = submission.attempts.get()
    assert (attempt.status_code, attempt.outcome) == (201, "received")
    assert Policy.objects.get(case=case).status == PolicyStatus.SUBMITTED
    assert "ch_received" in event_types(case)
    assert len(hub.app.store.list()) == 1


def test_a_second_send_is_refused_and_a_double_click_sends_once(firm, hub):
    case = ready_case(firm)
    send(case)
    with pytest.raises(ApplicationError) as refused:
        send(case)
    assert refused.value.code == "already_sent"
    drain()
    assert len(hub.app.store.list()) == 1


def test_a_rejection_is_mapped_to_our_fields_and_resubmit_succeeds(firm, hub):
    """A 4xx is never retried; the fix and Resubmit make a linked submission (G6)."""
    case = ready_case(firm, term_years=None)
    first = send(case)
    drain()
    first = fresh(first)
    assert first.status == SubmissionStatus.REJECTED
    assert first.attempts.count() == 1
    assert first.errors[0]["path"] == "/mp/policies/0/term_years"
    # The one-line summary (Submissions page, dashboard) names our field.
    assert first.last_error.startswith("Policy 1, Term (years): ")
    assert "ch_rejected" in event_types(case)
    policy = Policy.objects.get(case=case)
    data = protection.PolicyData(
        **{f: getattr(policy, f) for f in protection.FIELDS} | {"term_years": 20}
    )
    protection.policy_update(firm=firm, actor=None, policy=policy, data=data)
    second = send(case)
    drain()
    second = fresh(second)
    assert second.status == SubmissionStatus.RECEIVED
    assert second.previous == first
    assert not fresh(first).is_latest
    assert len(hub.app.store.list()) == 1


def test_server_errors_are_retried_with_the_same_key(firm, hub):
    """503 and 429 are retried; the partner stores the submission once (G5)."""
    case = ready_case(firm)
    submission = send(case)
    hub.app.faults.configure({"rates": {"503": 1.0}})
    deliver_once()
    assert fresh(submission).status == SubmissionStatus.QUEUED
    message = OutboxMessage.objects.get()
    assert message.next_attempt_at > timezone.now()
    hub.app.faults.configure({"rates": {"429": 1.0}, "retry_after_seconds": 120})
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    deliver_once()
    message.refresh_from_db()
    assert (message.next_attempt_at - timezone.now()).total_seconds() > 100
    hub.app.faults.configure({})
    drain()
    submission = fresh(submission)
    assert submission.status == SubmissionStatus.RECEIVED
    codes = [a.status_code for a in submission.attempts.order_by("started_at", "id")]
    assert codes == [503, 429, 201]
    assert len(hub.app.store.list()) == 1


def test_a_lost_answer_is_settled_by_the_key_not_a_second_submission(firm, hub):
    """Processed but the response was lost: the resend gets the first answer (G5)."""
    case = ready_case(firm)
    submission = send(case)
    hub.app.faults.configure({"rates": {"lost": 1.0}})
    deliver_once()
    assert fresh(submission).status == SubmissionStatus.QUEUED
    assert len(hub.app.store.list()) == 1
    hub.app.faults.configure({})
    drain()
    submission = fresh(submission)
    assert submission.status == SubmissionStatus.RECEIVED
    assert submission.partner_id == hub.app.store.list()[0].id
    assert len(hub.app.store.list()) == 1


def test_exhausted_retries_need_attention_and_send_again_uses_the_same_key(firm, hub):
    """Failed - needs attention; Send again redrives the same message (G5, G6)."""
    case = ready_case(firm)
    submission = send(case)
    OutboxMessage.objects.update(max_attempts=2)
    hub.app.faults.configure({"rates": {"500": 1.0}})
    drain()
    submission = fresh(submission)
    assert submission.status == SubmissionStatus.FAILED
    assert "ch_failed" in event_types(case)
    with pytest.raises(ApplicationError) as refused:
        send(case)
    assert refused.value.code == "failed"
    hub.app.faults.configure({})
    services.submission_redrive(firm=firm, actor=None, submission=submission)
    drain()
    submission = fresh(submission)
    assert submission.status == SubmissionStatus.RECEIVED
    assert OutboxMessage.objects.get().status == OutboxMessageStatus.DELIVERED
    assert submission.attempts.count() == 3
    assert len(hub.app.store.list()) == 1


def test_received_data_is_locked_but_a_policy_may_go_on_risk(firm, hub):
    """Edits of what was sent are refused; the status of a policy may change (G4)."""
    case = ready_case(firm)
    send(case)
    drain()
    policy = Policy.objects.get(case=case)
    fields = {f: getattr(policy, f) for f in protection.FIELDS}
    with pytest.raises(ApplicationError) as refused:
        protection.policy_update(
            firm=firm,
            actor=None,
            policy=policy,
            data=protection.PolicyData(**fields | {"premium": 99}),
        )
    assert refused.value.code == "locked"
    policy = Policy.objects.get(case=case)
    protection.policy_update(
        firm=firm,
        actor=None,
        policy=policy,
        data=protection.PolicyData(**fields | {"status": PolicyStatus.ON_RISK}),
    )
    assert Policy.objects.get(case=case).status == PolicyStatus.ON_RISK
    with pytest.raises(ApplicationError):
        protection.policy_remove(firm=firm, actor=None, policy=policy)


def test_amend_and_resubmit_sends_a_linked_submission_with_the_reason(firm, hub):
    """Reason, unlock, the changes shown, a new submission amending the first (G4)."""
    case = ready_case(firm)
    first = send(case)
    drain()
    with pytest.raises(ApplicationError):
        services.amendment_start(firm=firm, actor=None, case=case, reason=" ")
    amendment = services.amendment_start(
        firm=firm, actor=None, case=case, reason="Client asked for more cover"
    )
    assert amendment.status == SubmissionStatus.AMENDING
    with pytest.raises(ApplicationError) as unchanged:
        send(case)
    assert unchanged.value.code == "unchanged"
    policy = Policy.objects.get(case=case)
    fields = {f: getattr(policy, f) for f in protection.FIELDS}
    protection.policy_update(
        firm=firm,
        actor=None,
        policy=policy,
        data=protection.PolicyData(**fields | {"benefit_amount": 300000}),
    )
    changes = pending_changes(firm=firm, case=case, amending=amendment)
    assert [(c.where, c.field, c.after) for c in changes] == [
        ("Policy 1", "Benefit amount", "300000.00")
    ]
    second = send(case)
    assert second.pk == amendment.pk
    drain()
    second = fresh(second)
    assert second.status == SubmissionStatus.RECEIVED
    first = fresh(first)
    assert second.payload["amends_submission_id"] == first.partner_id
    stored = {s.id: s.payload for s in hub.app.store.list()}
    assert stored[second.partner_id]["amends_submission_id"] == first.partner_id
    assert "ch_amending" in event_types(case)


def test_cancelling_an_amendment_locks_the_case_again(firm, hub):
    case = ready_case(firm)
    first = send(case)
    drain()
    services.amendment_start(firm=firm, actor=None, case=case, reason="Typo")
    services.amendment_cancel(firm=firm, actor=None, case=case)
    assert fresh(first).is_latest
    assert Submission.objects.filter(case=case).count() == 1
    with pytest.raises(ApplicationError) as refused:
        send(case)
    assert refused.value.code == "already_sent"


def test_a_rejected_amendment_resubmitted_still_amends_what_was_received(firm, hub):
    """The fix of a rejected amendment keeps its link to the received submission."""
    case = ready_case(firm)
    first = send(case)
    drain()
    first = fresh(first)
    services.amendment_start(firm=firm, actor=None, case=case, reason="New term")
    policy = Policy.objects.get(case=case)
    fields = {f: getattr(policy, f) for f in protection.FIELDS}
    protection.policy_update(
        firm=firm,
        actor=None,
        policy=policy,
        data=protection.PolicyData(**fields | {"term_years": None}),
    )
    amendment = send(case)
    drain()
    assert fresh(amendment).status == SubmissionStatus.REJECTED
    policy = Policy.objects.get(case=case)
    protection.policy_update(
        firm=firm,
        actor=None,
        policy=policy,
        data=protection.PolicyData(**fields | {"term_years": 30}),
    )
    fixed = send(case)
    drain()
    fixed = fresh(fixed)
    assert fixed.status == SubmissionStatus.RECEIVED
    assert fixed.payload["amends_submission_id"] == first.partner_id
    assert fixed.payload["amendment_reason"] == "New term"
    assert fixed.reason == "New term"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/mp/policies/1/premium/amount", "Policy 2, Premium"),
        ("/kyc/clients/0/contact/phone", "Client 1, Mobile"),
        ("/kyc/clients/1", "Client 2"),
        ("/firm_id", "Network Firm ID"),
        ("/mp/advice_summary", "Demands & Needs, Recommendation rationale"),
        ("/unknown/thing", "unknown/thing"),
        ("", ""),
    ],
)
def test_a_partner_error_path_is_described_in_our_words(path, words):
    """G6: the summary a member reads names our field, not a JSON pointer."""
    assert troubleshoot.describe(path) == words
