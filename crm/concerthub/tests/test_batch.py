"""A claimed batch of deliveries is recorded in a fixed number of statements."""

import pytest
from django_scopes import scopes_disabled

from crm.cases.models import CaseEvent
from crm.concerthub import services
from crm.concerthub.choices import (
    AttemptOutcome,
    SubmissionEventType,
    SubmissionStatus,
)
from crm.concerthub.models import Submission, SubmissionAttempt
from crm.concerthub.tests.factories import ready_case
from crm.core.outbox import batch
from crm.core.outbox import services as outbox
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import DeliveryAttempt, OutboxMessage
from crm.protection.choices import PolicyStatus
from crm.protection.models import Policy
from crm.protection.tests.factories import make_policy, protection_case


def _send(firm, count):
    first = ready_case(firm)
    cases = [first]
    for _ in range(count - 1):
        case = protection_case(firm, owner=first.owner)
        make_policy(case)
        cases.append(case)
    for case in cases:
        services.submission_send(firm=firm, actor=None, case=case)
    with scopes_disabled():
        claimed = outbox.outbox_claim(worker="w")
    return batch.outbox_send_batch(messages=claimed, worker="w")


@pytest.mark.parametrize("count", [2, 5])
def test_a_batch_is_recorded_in_the_same_statements_whatever_its_size(
    firm, hub, count, django_assert_num_queries
):
    """Lock, attempts, messages; then submissions read, their attempts,
    policies (locked and read with their cases, updated, their premiums
    moved in the policy tally), submissions and case history: one statement
    each (and the savepoint around them), however many messages the batch
    holds; the webhooks writer reads the firm's endpoints once for the whole
    batch."""
    tried = _send(firm, count)
    assert len(tried) == count
    with django_assert_num_queries(13):
        batch.outbox_record_batch(tried=tried, worker="w")
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {
        OutboxMessageStatus.DELIVERED
    }
    assert DeliveryAttempt.objects.count() == count
    assert set(Submission.objects.values_list("status", flat=True)) == {
        SubmissionStatus.RECEIVED
    }
    assert all(Submission.objects.values_list("partner_id", flat=True))
    assert set(SubmissionAttempt.objects.values_list("outcome", flat=True)) == {
        AttemptOutcome.RECEIVED
    }
    assert not Policy.objects.exclude(status=PolicyStatus.SUBMITTED).exists()
    received = CaseEvent.objects.filter(type=SubmissionEventType.RECEIVED)
    assert received.count() == count


def test_a_lost_lease_records_the_attempt_but_moves_nothing(firm, hub):
    """Another worker took one message during the send: only its attempt is kept."""
    tried = _send(firm, 2)
    taken = tried[0].message
    OutboxMessage.objects.filter(pk=taken.pk).update(claimed_by="other")
    attempts = batch.outbox_record_batch(tried=tried, worker="w")
    assert len(attempts) == 2
    assert OutboxMessage.objects.get(pk=taken.pk).status == OutboxMessageStatus.PENDING
    statuses = dict(Submission.objects.values_list("message_id", "status"))
    assert statuses[taken.pk] == SubmissionStatus.QUEUED
    assert statuses[tried[1].message.pk] == SubmissionStatus.RECEIVED
