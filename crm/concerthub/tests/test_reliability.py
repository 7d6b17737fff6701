"""Reliable delivery through the outbox worker and the simulator (G5).

Submissions go through the real path (service, outbox, worker, guarded
client, simulator) while the partner fails 30% of requests with a mix of
faults, "processed but the response was lost" included; every one arrives
exactly once. A worker that dies in the middle of a send leaves a lease that
runs out, and the worker that takes the message over settles it by the key.
(``simulator/tests/test_reliability.py`` sends 1,000 submissions for 5 seeds
through the guarded client alone.)
"""

import pytest
from django.utils import timezone

from crm.concerthub import delivery, partner, services
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.concerthub.tests.factories import ready_case
from crm.concerthub.tests.helpers import drain
from crm.core.outbox import services as outbox
from crm.core.outbox.choices import OutboxMessageStatus
from crm.core.outbox.models import OutboxMessage
from crm.protection.tests.factories import make_policy, protection_case

CASES = 25
FAULTS = {
    "500": 0.06,
    "503": 0.04,
    "429": 0.06,
    "lost": 0.06,
    "lost_timeout": 0.04,
    "timeout": 0.04,
}


@pytest.mark.parametrize("seed", [7, 11])
def test_every_submission_arrives_once_while_the_partner_fails(
    firm, hub, seed, monkeypatch
):
    monkeypatch.setattr(partner, "SEND_TIMEOUT", 0.2)
    first = ready_case(firm)
    cases = [first]
    for _ in range(CASES - 1):
        case = protection_case(firm, owner=first.owner)
        make_policy(case)
        cases.append(case)
    for case in cases:
        services.submission_send(firm=firm, actor=None, case=case)
    hub.app.faults.configure(
        {
            "rates": FAULTS,
            "seed": seed,
            "timeout_seconds": 0.4,
            "retry_after_seconds": 1,
        }
    )
    drain(passes=40)
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {SubmissionStatus.RECEIVED}
    stored = hub.app.store.list()
    assert len(stored) == CASES
    assert len({s.payload["case_reference"] for s in stored}) == CASES
    received = set(Submission.objects.values_list("partner_id", flat=True))
    assert received == {s.id for s in stored}
    assert sum(hub.app.faults.injected.values()) > 0


def test_a_worker_that_dies_mid_send_loses_and_duplicates_nothing(firm, hub):
    """The send reached the partner, the worker died before recording it."""
    case = ready_case(firm)
    submission = services.submission_send(firm=firm, actor=None, case=case)
    [message_id] = outbox.outbox_claim_due(worker="doomed")
    message = OutboxMessage.objects.get(pk=message_id)
    delivery.deliver(message)  # the partner stores it; nothing is recorded
    assert len(hub.app.store.list()) == 1
    held = Submission.objects.select_related("message").get()
    assert held.status == SubmissionStatus.QUEUED
    assert held.shown_status == SubmissionStatus.SENDING
    # Another worker finds nothing until the lease runs out...
    assert outbox.outbox_claim_due(worker="rescuer") == []
    OutboxMessage.objects.update(claimed_until=timezone.now())
    drain()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED
    assert OutboxMessage.objects.get().status == OutboxMessageStatus.DELIVERED
    assert len(hub.app.store.list()) == 1
    assert submission.partner_id == hub.app.store.list()[0].id
