"""The simulator's HTTP API: submissions, idempotency, network IDs, admin."""

import json

import pytest


def test_a_valid_submission_is_stored(client, submit, payload):
    response = submit(payload)
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["status"] == "received"
    assert receipt["case_reference"] == "PRO-000123"
    assert (
        response.headers["location"] == f"/api/submissions/{receipt['submission_id']}"
    )
    stored = client.get(response.headers["location"]).json()
    assert stored["payload"] == payload
    assert stored["idempotency_key"] == "key-1"


def test_the_same_key_twice_stores_one_submission_and_answers_the_same(
    client, submit, payload
):
    first = submit(payload)
    second = submit(payload)
    assert second.status_code == first.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    listing = client.get("/api/submissions").json()
    assert listing["count"] == 1
    assert listing["submissions"][0]["replays"] == 1


def test_key_order_and_spacing_do_not_make_a_different_payload(submit, payload):
    submit(payload)
    reordered = json.dumps(dict(reversed(payload.items())), indent=4).encode()
    assert submit(reordered).headers["idempotent-replayed"] == "true"


def test_a_different_payload_with_a_reused_key_is_a_conflict(client, submit, payload):
    submit(payload)
    payload["case_reference"] = "PRO-000999"
    response = submit(payload)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "idempotency_key_conflict"
    assert client.get("/api/submissions").json()["count"] == 1


def test_different_keys_are_different_submissions(client, submit, payload):
    submit(payload, key="a")
    submit(payload, key="b")
    assert client.get("/api/submissions").json()["count"] == 2


def test_a_rejected_submission_is_not_stored_and_may_be_fixed_under_its_key(
    client, submit, payload
):
    payload["mp"]["policies"][0]["benefit_type"] = "pmi"
    response = submit(payload)
    assert response.status_code == 422
    assert response.json() == {
        "status": "rejected",
        "errors": [
            {
                "code": "unsupported_benefit_type",
                "path": "/mp/policies/0/benefit_type",
                "message": "Concert Hub does not accept benefit type 'pmi'.",
            }
        ],
    }
    assert client.get("/api/submissions").json()["count"] == 0
    payload["mp"]["policies"][0]["benefit_type"] = "life"
    assert submit(payload).status_code == 201


def test_the_idempotency_key_is_required(submit, payload):
    response = submit(payload, key="")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "idempotency_key_required"


def test_a_body_that_is_not_json(submit):
    response = submit(b"{not json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("firm_id", "F999999", "unknown_firm"),
        ("adviser_uid", "A999999", "unknown_adviser"),
        ("adviser_uid", "A200003", "adviser_not_in_firm"),
        ("amends_submission_id", "CH-999999", "unknown_submission"),
    ],
)
def test_network_ids_are_checked(submit, payload, field, value, code):
    payload[field] = value
    payload["amendment_reason"] = "Premium corrected"
    response = submit(payload)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "code": code,
            "path": f"/{field}",
            "message": response.json()["errors"][0]["message"],
        }
    ]


def test_an_amendment_links_to_the_first_submission(client, submit, payload):
    first = submit(payload).json()["submission_id"]
    payload["amends_submission_id"] = first
    payload["amendment_reason"] = "Premium corrected"
    payload["mp"]["policies"][0]["premium"]["amount"] = "40.00"
    response = submit(payload, key="key-2")
    assert response.status_code == 201
    assert response.json()["amends_submission_id"] == first


def test_demo_firm_and_adviser_lookups(client):
    assert client.get("/api/firms/F100001").json() == {
        "firm_id": "F100001",
        "name": "Harbour Mortgages",
        "status": "active",
    }
    adviser = client.get("/api/advisers/A200001").json()
    assert adviser["firm_id"] == "F100001"
    unknown = client.get("/api/firms/F999999")
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["code"] == "unknown_firm"
    assert client.get("/api/advisers/A999999").status_code == 404


def test_registering_a_firm_and_an_adviser(client, submit, payload):
    firm = client.post("/admin/firms", json={"firm_id": "F123456", "name": "New Firm"})
    assert firm.status_code == 200
    adviser = client.post(
        "/admin/advisers", json={"adviser_uid": "A654321", "firm_id": "F123456"}
    )
    assert adviser.json()["firm_id"] == "F123456"
    payload.update(firm_id="F123456", adviser_uid="A654321")
    assert submit(payload).status_code == 201


@pytest.mark.parametrize(
    ("url", "body", "path", "code"),
    [
        ("/admin/firms", {"firm_id": "X1"}, "/firm_id", "format"),
        ("/admin/firms", [], "", "type"),
        ("/admin/advisers", {"firm_id": "F100001"}, "/adviser_uid", "required"),
        (
            "/admin/advisers",
            {"adviser_uid": "A1", "firm_id": "F1"},
            "/adviser_uid",
            "format",
        ),
        (
            "/admin/advisers",
            {"adviser_uid": "A777777", "firm_id": "F777777"},
            "/firm_id",
            "unknown_firm",
        ),
    ],
)
def test_registration_is_validated(client, url, body, path, code):
    response = client.post(url, json=body)
    assert response.status_code == 400
    assert (code, path) in {(e["code"], e["path"]) for e in response.json()["errors"]}


def test_unknown_endpoints_and_methods(client):
    assert client.get("/nowhere").json()["errors"][0]["code"] == "not_found"
    response = client.delete("/api/submissions")
    assert response.status_code == 405
    assert client.get("/api/submissions/CH-999999").status_code == 404


def test_a_body_over_the_limit_is_refused(submit):
    response = submit(b" " * (1024 * 1024 + 1))
    assert response.status_code == 413


def test_health_and_reset(client, submit, payload):
    assert client.get("/health").json() == {"status": "ok"}
    submit(payload)
    client.post("/admin/faults", json={"rates": {"500": 0.5}})
    assert client.post("/admin/reset").status_code == 200
    assert client.get("/api/submissions").json()["count"] == 0
    assert client.get("/admin/faults").json()["rates"] == {}


def test_the_webhook_sink_counts_each_event_id_once(client, simulator):
    """SPEC K3 (demo): the sink keeps the ids it heard, a repeat once."""
    simulator.app.webhooks.clear()
    event = {"id": "evt_1", "type": "case.created", "data": {}}
    assert client.post("/webhooks", json=event).status_code == 200
    assert client.post("/webhooks", json=event).status_code == 200
    assert client.post("/webhooks", json={"type": "x"}).status_code == 400
    listing = client.get("/webhooks").json()
    assert listing == {"count": 1, "events": [{"id": "evt_1", "type": "case.created"}]}
