"""The OpenAPI schema: documented operations and the committed snapshot."""

import json

import pytest

from crm.api.management.commands.openapi_snapshot import SNAPSHOT, schema_text

pytestmark = pytest.mark.django_db


def test_the_committed_schema_matches_the_code():
    """docs/api/openapi.json is what the code generates (run openapi_snapshot)."""
    assert SNAPSHOT.read_text() == schema_text()


def test_every_operation_has_an_id_a_summary_and_its_responses():
    """Each operation names itself <entity>_<action> and documents its answers."""
    schema = json.loads(schema_text())
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 30
    for op in operations:
        assert op["operationId"].count("_") >= 1
        assert op["summary"]
        codes = set(op["responses"])
        assert {"401", "403", "404", "429"} <= codes, op["operationId"]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))


def test_the_docs_page_and_schema_are_served_without_a_login(client):
    """The interactive docs load their assets locally, with no CDN."""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in page.content
    assert b"cdn." not in page.content
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Casework API"


def _patterns_without_examples(node, path=""):
    """Yield where a property has a ``pattern`` but no ``examples``."""
    if isinstance(node, dict):
        if "pattern" in node and "examples" not in node:
            yield path
        for key, value in node.items():
            yield from _patterns_without_examples(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _patterns_without_examples(value, f"{path}/{index}")


def test_k1_the_docs_examples_are_ones_a_newcomer_can_send(api, firm):
    """Issue 17 done-means: the docs page's example bodies of the first steps
    work as sent, and no text field's example is random text from its pattern."""
    schemas = json.loads(schema_text())["components"]["schemas"]
    assert list(_patterns_without_examples(schemas)) == []

    def example(name):
        return schemas[name]["examples"][0]

    for name in ("AddressIn", "CommitmentIn", "ExistingPolicyIn"):
        assert example(name)
    contact = api.post(
        "/api/v1/contacts", example("ContactIn"), content_type="application/json"
    )
    assert contact.status_code == 201, contact.content
    new_case = {**example("AdviceCaseIn"), "applicant_ids": [contact.json()["id"]]}
    case = api.post("/api/v1/cases/advice", new_case, content_type="application/json")
    assert case.status_code == 201, case.content
    moved = api.post(
        f"/api/v1/cases/{case.json()['id']}/move",
        example("MoveIn"),
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == example("MoveIn")["status"]
