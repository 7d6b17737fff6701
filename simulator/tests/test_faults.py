"""Fault injection, per request and by global rates."""

import io

import httpx
import pytest

from simulator import app as app_module
from simulator.faults import FAULTS, Faults


@pytest.fixture
def short_timeouts(client):
    """The simulator's slow faults wait just past a 0.2 s client timeout."""
    client.post("/admin/faults", json={"timeout_seconds": 0.3})


def count(client):
    return client.get("/api/submissions").json()["count"]


def test_timeout_waits_past_the_client_then_stores_nothing(
    client, submit, payload, short_timeouts
):
    with pytest.raises(httpx.ReadTimeout):
        client.post(
            "/api/submissions",
            json=payload,
            headers={"Idempotency-Key": "t", "X-Simulate": "timeout"},
            timeout=0.2,
        )
    # A patient client hears a 504 in the end.
    late = submit(payload, key="t2", **{"X-Simulate": "timeout"})
    assert late.status_code == 504
    assert count(client) == 0


@pytest.mark.parametrize(
    ("fault", "status"), [("500", 500), ("503", 503), ("429", 429)]
)
def test_server_errors_and_rate_limits_store_nothing(
    client, submit, payload, fault, status
):
    response = submit(payload, **{"X-Simulate": fault})
    assert response.status_code == status
    if status != 500:
        assert response.headers["retry-after"] == "1"
    assert count(client) == 0
    assert submit(payload).status_code == 201


def test_a_simulated_validation_error_names_a_field(client, submit, payload):
    response = submit(payload, **{"X-Simulate": "validation"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["code"], error["path"]) == (
        "simulated_rejection",
        "/mp/policies/0/provider",
    )
    assert count(client) == 0


def test_lost_stores_then_drops_the_connection(client, submit, payload):
    with pytest.raises(httpx.RemoteProtocolError):
        submit(payload, key="lost-1", **{"X-Simulate": "lost"})
    assert count(client) == 1
    # The retry with the same key gets the first answer; still one submission.
    retry = submit(payload, key="lost-1")
    assert retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert count(client) == 1


def test_lost_timeout_stores_then_answers_too_late(
    client, submit, payload, short_timeouts
):
    with pytest.raises(httpx.ReadTimeout):
        client.post(
            "/api/submissions",
            json=payload,
            headers={"Idempotency-Key": "lt", "X-Simulate": "lost_timeout"},
            timeout=0.2,
        )
    assert count(client) == 1
    assert submit(payload, key="lt").headers["idempotent-replayed"] == "true"


def test_an_unknown_fault_header_is_refused(submit, payload):
    response = submit(payload, **{"X-Simulate": "gremlins"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "header:X-Simulate"


def test_global_rates_with_a_seed_repeat_the_same_faults(client, submit, payload):
    settings = {
        "rates": {"500": 0.3, "429": 0.2},
        "seed": 7,
        "retry_after_seconds": 2,
    }

    def run():
        client.post("/admin/faults", json=settings)
        return [submit(payload, key=f"g-{i}").status_code for i in range(40)]

    first = run()
    client.post("/admin/reset")
    assert run() == first
    assert {500, 429, 201} == set(first)
    injected = client.get("/admin/faults").json()["injected"]
    assert injected == {"500": first.count(500), "429": first.count(429)}


def test_the_header_overrides_the_global_rates(client, submit, payload):
    client.post("/admin/faults", json={"rates": {"500": 1.0}})
    assert submit(payload, **{"X-Simulate": "429"}).status_code == 429
    assert client.delete("/admin/faults").json()["rates"] == {}
    assert submit(payload).status_code == 201


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"rates": {"gremlins": 0.1}}, "/rates/gremlins"),
        ({"rates": {"500": 1.5}}, "/rates/500"),
        ({"rates": {"500": 0.6, "429": 0.6}}, "/rates"),
        ({"rates": []}, "/rates"),
        ({"seed": "x"}, "/seed"),
        ({"timeout_seconds": 0}, "/timeout_seconds"),
        ({"retry_after_seconds": -1}, "/retry_after_seconds"),
        ({"colour": "red"}, "/colour"),
        ([], ""),
    ],
)
def test_fault_settings_are_validated(client, body, path):
    response = client.post("/admin/faults", json=body)
    assert response.status_code == 400
    assert path in {e["path"] for e in response.json()["errors"]}


def test_every_fault_is_drawn_at_its_rate():
    faults = Faults()
    rates = dict.fromkeys(FAULTS, 0.1)
    assert faults.configure({"rates": rates, "seed": 1}) == []
    drawn = [faults.draw(None) for _ in range(5000)]
    for name in FAULTS:
        assert 400 < drawn.count(name) < 600
    assert 1300 < drawn.count(None) < 1700


def test_lost_without_a_server_that_can_drop_answers_late(monkeypatch, payload):
    """Under another WSGI server, "lost" falls back to answering too late."""
    slept: list[float] = []
    monkeypatch.setattr(app_module, "sleep", slept.append)
    simulator = app_module.Simulator()
    simulator.faults.configure({"timeout_seconds": 9})
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/submissions",
        "HTTP_IDEMPOTENCY_KEY": "k",
        "HTTP_X_SIMULATE": "lost",
        "CONTENT_LENGTH": "2",
        "wsgi.input": io.BytesIO(b"{}"),
    }
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)
        return lambda data: None

    simulator(environ, start_response)
    assert slept == [9]
    assert statuses == ["422 Unprocessable Content"]
