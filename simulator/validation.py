"""Validate a submission as a strict partner would.

Each problem is an ``Error`` with a stable ``code`` and the JSON pointer
(RFC 6901) ``path`` of the bad field; all problems are reported at once.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from simulator import contract


@dataclass(frozen=True)
class Error:
    """One problem with a submission."""

    code: str
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}


@dataclass(frozen=True)
class Str:
    max_length: int = 200
    fmt: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]
    refused: tuple[str, ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Int:
    minimum: int
    maximum: int
    required: bool = True


@dataclass(frozen=True)
class Bool:
    required: bool = True


@dataclass(frozen=True)
class Obj:
    fields: Mapping[str, "Spec"] = field(default_factory=dict)
    required: bool = True


@dataclass(frozen=True)
class Arr:
    items: "Spec"
    min_items: int
    max_items: int
    required: bool = True


Spec = Str | Choice | Int | Bool | Obj | Arr

ADDRESS = Obj(
    {
        "line_1": Str(100),
        "line_2": Str(100, required=False),
        "town": Str(60),
        "county": Str(60, required=False),
        "postcode": Str(8, "uk-postcode"),
    }
)
CLIENT = Obj(
    {
        "client_ref": Str(20, "client-ref"),
        "title": Str(20, required=False),
        "first_name": Str(60),
        "last_name": Str(60),
        "date_of_birth": Str(10, "date"),
        "address": ADDRESS,
        "contact": Obj({"email": Str(254, "email"), "phone": Str(20, "phone")}),
        "employment": Obj(
            {
                "status": Choice(contract.EMPLOYMENT_STATUSES),
                "occupation": Str(100),
                "employer": Str(100, required=False),
            }
        ),
        "income": Obj({"gross_annual": Str(13, "money")}),
        "smoker": Bool(),
    }
)
POLICY = Obj(
    {
        "policy_ref": Str(20, "client-ref"),
        "provider": Str(100),
        "benefit_type": Choice(contract.BENEFIT_TYPES, contract.REFUSED_BENEFIT_TYPES),
        "benefit_amount": Str(13, "money"),
        "premium": Obj(
            {
                "amount": Str(13, "money"),
                "frequency": Choice(contract.PREMIUM_FREQUENCIES),
            }
        ),
        "term_years": Int(1, contract.MAX_TERM_YEARS),
        "cover_basis": Choice(contract.COVER_BASES),
        "lives_assured": Arr(Str(20, "client-ref"), 1, contract.MAX_CLIENTS),
    }
)
KYC = Obj({"clients": Arr(CLIENT, 1, contract.MAX_CLIENTS)})
MP = Obj(
    {
        "policies": Arr(POLICY, 1, contract.MAX_POLICIES),
        "advice_summary": Str(4000, required=False),
    }
)
SUBMISSION = Obj(
    {
        "schema_version": Str(10),
        "firm_id": Str(7, "firm-id"),
        "adviser_uid": Str(7, "adviser-uid"),
        "case_reference": Str(40, "case-reference"),
        "amends_submission_id": Str(20, "submission-id", required=False),
        "amendment_reason": Str(1000, required=False),
        "kyc": KYC,
        "mp": MP,
    }
)
POSITIVE_AMOUNTS = ("benefit_amount",)


def _pointer(path: str, key: str | int) -> str:
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{path}/{token}"


def _type_name(spec: Spec) -> str:
    names = {Str: "string", Choice: "string", Int: "integer", Bool: "boolean"}
    return names.get(type(spec), "object" if isinstance(spec, Obj) else "array")


def check(value: Any, spec: Spec, path: str, errors: list[Error]) -> None:
    """Append to ``errors`` every way ``value`` at ``path`` breaks ``spec``."""
    expected = _type_name(spec)
    ok_type = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
    }[expected]
    if not ok_type:
        errors.append(Error("type", path, f"Expected {expected}."))
    elif isinstance(spec, Str):
        _check_str(value, spec, path, errors)
    elif isinstance(spec, Choice):
        if value in spec.refused:
            msg = f"Concert Hub does not accept benefit type {value!r}."
            errors.append(Error("unsupported_benefit_type", path, msg))
        elif value not in spec.values:
            msg = f"Must be one of: {', '.join(spec.values)}."
            errors.append(Error("enum", path, msg))
    elif isinstance(spec, Int):
        if not spec.minimum <= value <= spec.maximum:
            msg = f"Must be between {spec.minimum} and {spec.maximum}."
            errors.append(Error("out_of_range", path, msg))
    elif isinstance(spec, Obj):
        _check_obj(value, spec, path, errors)
    elif isinstance(spec, Arr):
        if len(value) < spec.min_items:
            errors.append(Error("min_items", path, f"At least {spec.min_items}."))
        elif len(value) > spec.max_items:
            errors.append(Error("max_items", path, f"At most {spec.max_items}."))
        for index, item in enumerate(value[: spec.max_items]):
            check(item, spec.items, _pointer(path, index), errors)


def _check_str(value: str, spec: Str, path: str, errors: list[Error]) -> None:
    if not value.strip():
        errors.append(Error("min_length", path, "Must not be blank."))
    elif len(value) > spec.max_length:
        msg = f"At most {spec.max_length} characters."
        errors.append(Error("max_length", path, msg))
    elif spec.fmt and not contract.FORMATS[spec.fmt].match(value):
        errors.append(Error("format", path, f"Not a valid {spec.fmt}."))
    elif spec.fmt == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            errors.append(Error("format", path, "Not a real calendar date."))


def _check_obj(
    value: dict[str, Any], spec: Obj, path: str, errors: list[Error]
) -> None:
    errors.extend(
        Error("unknown_field", _pointer(path, key), "Not allowed.")
        for key in value
        if key not in spec.fields
    )
    for key, child in spec.fields.items():
        if key in value and not (value[key] is None and not child.required):
            check(value[key], child, _pointer(path, key), errors)
        elif child.required:
            errors.append(Error("required", _pointer(path, key), "Required."))


def _rules(payload: dict[str, Any], today: datetime.date, errors: list[Error]) -> None:
    """Rules across fields, checked once the shape is right."""
    if payload["schema_version"] != contract.SCHEMA_VERSION:
        msg = f"Only schema version {contract.SCHEMA_VERSION} is accepted."
        errors.append(Error("schema_version", "/schema_version", msg))
    if payload.get("amends_submission_id") and not payload.get("amendment_reason"):
        msg = "An amendment needs a reason."
        errors.append(Error("required", "/amendment_reason", msg))
    refs: set[str] = set()
    for index, client in enumerate(payload["kyc"]["clients"]):
        path = f"/kyc/clients/{index}"
        if client["client_ref"] in refs:
            errors.append(Error("duplicate", f"{path}/client_ref", "Used twice."))
        refs.add(client["client_ref"])
        born = datetime.date.fromisoformat(client["date_of_birth"])
        if not today.replace(year=today.year - contract.MAX_AGE_YEARS) < born < today:
            msg = "Must be in the past and within a human lifetime."
            errors.append(Error("out_of_range", f"{path}/date_of_birth", msg))
    for index, policy in enumerate(payload["mp"]["policies"]):
        path = f"/mp/policies/{index}"
        for key, amount in (
            ("benefit_amount", policy["benefit_amount"]),
            ("premium/amount", policy["premium"]["amount"]),
        ):
            if Decimal(amount) <= 0:
                msg = "Must be more than zero."
                errors.append(Error("out_of_range", f"{path}/{key}", msg))
        for number, ref in enumerate(policy["lives_assured"]):
            if ref not in refs:
                msg = f"No client with client_ref {ref!r}."
                where = f"{path}/lives_assured/{number}"
                errors.append(Error("unknown_reference", where, msg))


def validate(payload: Any, today: datetime.date | None = None) -> list[Error]:
    """Return every problem with ``payload``; an empty list means it is valid."""
    errors: list[Error] = []
    check(payload, SUBMISSION, "", errors)
    if not errors:
        _rules(payload, today or datetime.date.today(), errors)  # noqa: DTZ011
    return errors
