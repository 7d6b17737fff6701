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
