"""No submission is lost or duplicated while the partner fails 30% of requests.

Each submission is sent through the real guarded client
(``crm.core.outbound.post_json``) with its own idempotency key and retried
until it is received, as the outbox worker will do. The simulator fails 30%
of requests with a mix of timeouts, 5xx, 429 and processed-but-response-lost
faults (simulated validation errors are left out: a 4xx is never retried).
"""

import copy
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm.core.outbound import post_json

SUBMISSIONS = 1000
CLIENT_THREADS = 16
CLIENT_TIMEOUT = 0.2
MAX_ATTEMPTS = 60
FAULT_RATES = {
    "timeout": 0.04,
    "500": 0.06,
    "503": 0.04,
    "429": 0.06,
    "lost": 0.06,
    "lost_timeout": 0.04,
}


def deliver(url, payload, key):
    """Send until the partner has it; return (receipt, attempts, outcomes)."""
    outcomes = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = post_json(
            url=url,
            payload=payload,
            idempotency_key=key,
            timeout=CLIENT_TIMEOUT,
            connect_timeout=2,
        )
        outcomes.append(result.status_code or result.error_kind)
        if result.ok:
            return json_body(result), attempt, outcomes
        assert result.retryable, (key, result.status_code, result.error)
        time.sleep(0.002)  # a token backoff; Retry-After is 0 here
    pytest.fail(f"{key}: not delivered after {MAX_ATTEMPTS} attempts: {outcomes}")


def json_body(result):
    return json.loads(result.body)


@pytest.mark.parametrize("seed", [11, 23, 37, 41, 59])
def test_a_thousand_submissions_arrive_exactly_once(
    simulator, payload, settings, caplog, seed
):
    caplog.set_level(logging.WARNING)
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{simulator.port}"]
    simulator.app.faults.configure(
        {
            "rates": FAULT_RATES,
            "seed": seed,
            "timeout_seconds": CLIENT_TIMEOUT + 0.1,
            "retry_after_seconds": 0,
        }
    )
    url = f"{simulator.url}/api/submissions"
    jobs = []
    for number in range(SUBMISSIONS):
        body = copy.deepcopy(payload)
        body["case_reference"] = f"PRO-{seed}-{number:04d}"
        jobs.append((body, f"sub-{seed}-{number}-{uuid.uuid4()}"))

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        results = list(pool.map(lambda job: deliver(url, *job), jobs))

    stored = simulator.app.store.list()
    # Exactly one stored submission per submission sent: none lost, none twice.
    assert len(stored) == SUBMISSIONS
    assert {s.payload["case_reference"] for s in stored} == {
        body["case_reference"] for body, _ in jobs
    }
    assert {s.idempotency_key for s in stored} == {key for _, key in jobs}
    # Every client got the receipt of the one stored copy, replayed or not.
    by_key = {s.idempotency_key: s for s in stored}
    for (body, key), (receipt, _, _) in zip(jobs, results, strict=True):
        assert receipt["submission_id"] == by_key[key].id
        assert by_key[key].payload == body
    # The faults did happen, including answers lost after storing.
    injected = simulator.app.faults.snapshot()["injected"]
    assert set(injected) == set(FAULT_RATES)
    replayed = sum(s.replays for s in stored)
    assert replayed >= injected["lost"] + injected["lost_timeout"]
    assert sum(attempts for _, attempts, _ in results) > SUBMISSIONS
