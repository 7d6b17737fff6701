"""Each validation rule, with its stable code and JSON-pointer path."""

import datetime
import json
import re
from pathlib import Path

import pytest

from simulator import contract, validation
from simulator.validation import validate

DOCS = Path(__file__).resolve().parents[2] / "docs/concert-hub"
TODAY = datetime.date(2026, 1, 15)
# Strings each format pattern must accept or refuse as the validator does.
FORMAT_SAMPLES = [
    *("F100001", "F1000011", "A200001", "a200001", "CH-000001", "CH-1"),
    *("PRO-000123", "PRO 1", "-x", "C1", "C_1-a", "1984-03-12", "1984-3-12"),
    *("BS1 4DJ", "bs14dj", "SW1A 1AA", "12345", "a@b.co", "a@b", "a b@c.de"),
    *("07700 900123", "+44 (0)20 7946 0000", "call me", "250000.00", "12"),
    *("1.234", "1,000", "", "x" * 50, "a/b"),
]


def problems(payload):
    return {(e.code, e.path) for e in validate(payload, today=TODAY)}


def test_the_example_is_valid(payload):
    assert validate(payload, today=TODAY) == []


@pytest.mark.parametrize(
    "path",
    [
        "/firm_id",
        "/adviser_uid",
        "/case_reference",
        "/kyc/clients/0/first_name",
        "/kyc/clients/0/date_of_birth",
        "/kyc/clients/0/address/postcode",
        "/kyc/clients/0/contact/email",
        "/kyc/clients/0/employment/status",
        "/kyc/clients/0/income/gross_annual",
        "/kyc/clients/0/smoker",
        "/mp/policies/0/provider",
        "/mp/policies/0/benefit_type",
        "/mp/policies/0/benefit_amount",
        "/mp/policies/0/premium/amount",
        "/mp/policies/0/term_years",
        "/mp/policies/0/cover_basis",
    ],
)
def test_a_missing_field_is_required_at_its_path(payload, path):
    *parents, last = path.strip("/").split("/")
    node = payload
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    del node[last]
    assert problems(payload) == {("required", path)}


def test_optional_fields_may_be_left_out_or_null(payload):
    del payload["mp"]["advice_summary"]
    payload["kyc"]["clients"][0]["title"] = None
    assert problems(payload) == set()


def test_an_unknown_field_is_refused(payload):
    payload["kyc"]["clients"][0]["nickname"] = "Annie"
    assert problems(payload) == {("unknown_field", "/kyc/clients/0/nickname")}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("firm_id", "12345", "format"),
        ("adviser_uid", "B200001", "format"),
        ("case_reference", "has spaces", "format"),
        ("case_reference", "   ", "min_length"),
        ("case_reference", "X" * 41, "max_length"),
        ("firm_id", 100001, "type"),
        ("schema_version", "2", "schema_version"),
        ("amends_submission_id", "nope", "format"),
    ],
)
def test_envelope_fields(payload, field, value, code):
    payload[field] = value
    assert problems(payload) == {(code, f"/{field}")}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("date_of_birth", "12/03/1984", "format"),
        ("date_of_birth", "1984-02-30", "format"),
        ("date_of_birth", "2030-01-01", "out_of_range"),
        ("date_of_birth", "1900-01-01", "out_of_range"),
        ("smoker", "no", "type"),
        ("client_ref", "C 1", "format"),
    ],
)
def test_client_fields(payload, field, value, code):
    payload["kyc"]["clients"][0][field] = value
    assert problems(payload) == {(code, f"/kyc/clients/0/{field}")}


@pytest.mark.parametrize(
    ("section", "field", "value", "code"),
    [
        ("address", "postcode", "12345", "format"),
        ("contact", "email", "ann.example.com", "format"),
        ("contact", "phone", "call me", "format"),
        ("employment", "status", "astronaut", "enum"),
        ("income", "gross_annual", "42,000", "format"),
        ("income", "gross_annual", 42000, "type"),
    ],
)
def test_client_sections(payload, section, field, value, code):
    payload["kyc"]["clients"][0][section][field] = value
    assert problems(payload) == {(code, f"/kyc/clients/0/{section}/{field}")}


@pytest.mark.parametrize("benefit_type", contract.REFUSED_BENEFIT_TYPES)
def test_asu_business_protection_and_pmi_are_refused(payload, benefit_type):
    payload["mp"]["policies"][0]["benefit_type"] = benefit_type
    path = "/mp/policies/0/benefit_type"
    assert problems(payload) == {("unsupported_benefit_type", path)}


@pytest.mark.parametrize("benefit_type", contract.BENEFIT_TYPES)
def test_supported_benefit_types_pass(payload, benefit_type):
    payload["mp"]["policies"][0]["benefit_type"] = benefit_type
    assert problems(payload) == set()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("benefit_type", "funeral", "enum"),
        ("cover_basis", "wobbly", "enum"),
        ("term_years", 0, "out_of_range"),
        ("term_years", 51, "out_of_range"),
        ("term_years", "25", "type"),
        ("term_years", True, "type"),
        ("benefit_amount", "0.00", "out_of_range"),
        ("benefit_amount", "1.234", "format"),
    ],
)
def test_policy_fields(payload, field, value, code):
    payload["mp"]["policies"][0][field] = value
    assert problems(payload) == {(code, f"/mp/policies/0/{field}")}


def test_premium_fields(payload):
    payload["mp"]["policies"][0]["premium"] = {"amount": "0", "frequency": "weekly"}
    assert problems(payload) == {("enum", "/mp/policies/0/premium/frequency")}
    payload["mp"]["policies"][0]["premium"]["frequency"] = "annual"
    assert problems(payload) == {("out_of_range", "/mp/policies/0/premium/amount")}


def test_lives_assured_must_name_a_client(payload):
    payload["mp"]["policies"][0]["lives_assured"] = ["C9"]
    path = "/mp/policies/0/lives_assured/0"
    assert problems(payload) == {("unknown_reference", path)}


def test_client_refs_are_unique(payload):
    clients = payload["kyc"]["clients"]
    clients.append(json.loads(json.dumps(clients[0])))
    assert problems(payload) == {("duplicate", "/kyc/clients/1/client_ref")}


def test_item_counts(payload):
    payload["kyc"]["clients"] = []
    payload["mp"]["policies"] = payload["mp"]["policies"] * 11
    assert problems(payload) == {
        ("min_items", "/kyc/clients"),
        ("max_items", "/mp/policies"),
    }


def test_an_amendment_needs_a_reason(payload):
    payload["amends_submission_id"] = "CH-000001"
    assert problems(payload) == {("required", "/amendment_reason")}


def test_a_body_that_is_not_an_object(payload):
    assert problems([payload]) == {("type", "")}


def test_every_problem_is_reported_at_once(payload):
    payload["firm_id"] = "bad"
    payload["kyc"]["clients"][0]["contact"]["email"] = "bad"
    payload["mp"]["policies"][0]["benefit_type"] = "pmi"
    assert len(problems(payload)) == 3


def test_pointer_escapes_slash_and_tilde(payload):
    payload["kyc"]["a/b~c"] = 1
    assert problems(payload) == {("unknown_field", "/kyc/a~1b~0c")}


def _resolve(node, document):
    """Follow a "$ref" to another schema file or to this file's $defs."""
    while "$ref" in node:
        target = node["$ref"]
        if target.startswith("#/$defs/"):
            node = document["$defs"][target.removeprefix("#/$defs/")]
        else:
            document = json.loads((DOCS / target).read_text())
            node = document
    return node, document


def _compare(spec, node, document, path=""):
    """Assert that the schema ``node`` says what the validator's ``spec`` does."""
    node, document = _resolve(node, document)
    if isinstance(spec, validation.Obj):
        assert set(node["properties"]) == set(spec.fields), path
        required = {k for k, child in spec.fields.items() if child.required}
        assert set(node["required"]) == required, path
        assert node["additionalProperties"] is False, path
        for key, child in spec.fields.items():
            _compare(child, node["properties"][key], document, f"{path}/{key}")
    elif isinstance(spec, validation.Arr):
        assert (node["minItems"], node["maxItems"]) == (
            spec.min_items,
            spec.max_items,
        ), path
        _compare(spec.items, node["items"], document, f"{path}/0")
    elif isinstance(spec, validation.Choice):
        assert tuple(node["enum"]) == spec.values, path
        assert tuple(node.get("x-refused", ())) == spec.refused, path
    elif isinstance(spec, validation.Str):
        assert node["maxLength"] == spec.max_length, path
        if spec.fmt:
            ours = contract.FORMATS[spec.fmt]
            theirs = re.compile(node["pattern"])
            for sample in FORMAT_SAMPLES:
                expected = ours.match(sample) is not None
                assert (theirs.search(sample) is not None) == expected, (path, sample)
    elif isinstance(spec, validation.Int):
        assert (node["minimum"], node["maximum"]) == (spec.minimum, spec.maximum)
    else:
        assert node["type"] == "boolean", path


def test_the_published_schemas_match_the_validator():
    document = json.loads((DOCS / "submission.schema.json").read_text())
    _compare(validation.SUBMISSION, document, document)


def test_the_published_example_is_valid_against_the_validator():
    example = json.loads((DOCS / "example-submission.json").read_text())
    assert validate(example) == []
