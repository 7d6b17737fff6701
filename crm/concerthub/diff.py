"""What an amendment changes: two payloads compared field by field (G4)."""

from dataclasses import dataclass
from typing import Any

from crm.cases.models import Case
from crm.concerthub.models import Submission
from crm.concerthub.payload import case_payload, comparable
from crm.firms.models import Firm

# Partner keys as our pages name them.
LABELS: dict[str, str] = {
    "firm_id": "Network Firm ID",
    "adviser_uid": "Adviser UID",
    "case_reference": "Case reference",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "line_1": "Address",
    "town": "Town",
    "postcode": "Postcode",
    "email": "E-mail",
    "phone": "Phone",
    "status": "Employment status",
    "occupation": "Occupation",
    "employer": "Employer",
    "gross_annual": "Gross annual income",
    "smoker": "Smoker",
    "provider": "Provider",
    "benefit_type": "Benefit type",
    "benefit_amount": "Benefit amount",
    "amount": "Premium",
    "frequency": "Premium frequency",
    "term_years": "Term (years)",
    "cover_basis": "Cover basis",
    "lives_assured": "Lives assured",
    "advice_summary": "Advice summary",
    "title": "Title",
}


@dataclass(frozen=True)
class Change:
    where: str
    field: str
    before: str
    after: str


def _flatten(
    value: Any, path: tuple[str, ...], into: dict[tuple[str, ...], Any]
) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, (*path, str(key)), into)
    elif isinstance(value, list) and not all(isinstance(v, str) for v in value):
        for index, item in enumerate(value):
            _flatten(item, (*path, str(index)), into)
    else:
        into[path] = value


def _where(path: tuple[str, ...]) -> str:
    if path[:2] == ("kyc", "clients") and len(path) > 2:
        return f"Client {int(path[2]) + 1}"
    if path[:2] == ("mp", "policies") and len(path) > 2:
        return f"Policy {int(path[2]) + 1}"
    if path[:1] == ("mp",):
        return "Advice"
    return "Submission"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def payload_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Return each field whose value differs, in the order of the new payload."""
    old: dict[tuple[str, ...], Any] = {}
    new: dict[tuple[str, ...], Any] = {}
    _flatten(before, (), old)
    _flatten(after, (), new)
    keys = list(new) + [k for k in old if k not in new]
    changes = []
    for key in keys:
        if old.get(key) == new.get(key) or not key:
            continue
        field = LABELS.get(key[-1], key[-1].replace("_", " ").capitalize())
        changes.append(
            Change(_where(key), field, _shown(old.get(key)), _shown(new.get(key)))
        )
    return changes


def pending_changes(*, firm: Firm, case: Case, amending: Submission) -> list[Change]:
    """Return what sending ``amending`` now would change against what it amends."""
    previous = amending.previous
    if previous is None:
        return []
    now = case_payload(firm=firm, case=case)
    return payload_changes(comparable(previous.payload), comparable(now.payload))
