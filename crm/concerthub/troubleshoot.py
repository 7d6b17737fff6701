"""Troubleshooting a rejected submission: each partner error on our field (G6).

The partner names a bad field by its JSON pointer (``/kyc/clients/0/contact/
phone``). :func:`fixes` turns each error into the field's name as our pages
show it, a link to that field, and what to do, using the references the
submission recorded when it was built.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from crm.advice.readiness import field_id, section_id
from crm.cases.models import Case

NETWORK_SETTINGS = "concerthub:network"

# Partner field (under a client) -> (our label, Fact Find input or section, where).
CLIENT_FIELDS: dict[str, tuple[str, str]] = {
    "title": ("Title", "contact:title"),
    "first_name": ("First name", "contact:first_name"),
    "last_name": ("Last name", "contact:last_name"),
    "date_of_birth": ("Date of birth", "date_of_birth"),
    "address": ("Current address", "addresses"),
    "contact/email": ("E-mail", "contact:email"),
    "contact/phone": ("Mobile", "contact:mobile"),
    "contact": ("E-mail and phone", "contact:email"),
    "employment/status": ("Employment status", "employment_status"),
    "employment/occupation": ("Occupation", "occupation"),
    "employment/employer": ("Employer or business name", "employer"),
    "employment": ("Employment", "employment_status"),
    "income": ("Income", "basic_income"),
    "smoker": ("Smoker status", "smoker_status"),
}
POLICY_FIELDS: dict[str, tuple[str, str]] = {
    "provider": ("Provider", "provider"),
    "benefit_type": ("Benefit type", "benefit_type"),
    "benefit_amount": ("Benefit amount", "benefit_amount"),
    "premium/amount": ("Premium", "premium"),
    "premium/frequency": ("Premium frequency", "premium_frequency"),
    "premium": ("Premium", "premium"),
    "term_years": ("Term (years)", "term_years"),
    "cover_basis": ("Cover basis", "cover_basis"),
    "lives_assured": ("Lives assured", "lives_assured"),
}
ADVICE: dict[str, str] = {
    "required": "Fill it in",
    "min_length": "Fill it in",
    "format": "Correct its format",
    "type": "Fill it in with a valid value",
    "enum": "Choose one of the values Concert Hub accepts",
    "unsupported_benefit_type": (
        "Concert Hub does not take this benefit type: change it or remove the policy"
    ),
    "max_length": "Shorten it",
    "out_of_range": "Correct the value",
    "unknown_firm": "Check the firm's network Firm ID",
    "unknown_adviser": "Check the adviser's network Adviser UID",
    "adviser_not_in_firm": "Use an Adviser UID registered to the firm's Firm ID",
    "unknown_reference": "Check the policy's lives assured",
}


@dataclass(frozen=True)
class Fix:
    """One partner error, placed on our field."""

    where: str
    label: str
    url: str
    message: str
    advice: str
    code: str


def _under(rest: list[str], table: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Return the table entry for the longest known prefix of ``rest``."""
    for length in range(len(rest), 0, -1):
        key = "/".join(rest[:length])
        if key in table:
            return table[key]
    return ("", "")


def _client_fix(
    case: Case, refs: dict[str, int], index: int, rest: list[str]
) -> tuple[str, str, str]:
    applicant_id = refs.get(f"C{index + 1}")
    contact_id = refs.get(f"C{index + 1}.contact")
    label, target = _under(rest, CLIENT_FIELDS)
    where = f"Client {index + 1}"
    page = case.get_absolute_url()
    if applicant_id is None or contact_id is None:
        return where, label or "Client", page
    if target.startswith("contact:"):
        edit = reverse("contacts:contact_edit", kwargs={"contact_id": contact_id})
        return where, label, f"{edit}#id_{target.removeprefix('contact:')}"
    if target == "addresses":
        return where, label, page + "#" + section_id(applicant_id, "addresses")
    if target:
        return where, label, page + "#" + field_id(applicant_id, target)
    return (
        where,
        label or "Fact Find",
        page + "#" + section_id(applicant_id, "personal"),
    )


def _place(case: Case, refs: dict[str, int], path: str) -> tuple[str, str, str]:
    """Return (where, our field's label, link) for a partner error path."""
    parts = [p for p in path.split("/") if p]
    page = case.get_absolute_url()
    if not parts:
        return "Submission", "", page
    head = parts[0]
    if head in ("firm_id", "adviser_uid"):
        label = "Network Firm ID" if head == "firm_id" else "Adviser UID"
        return "Concert Hub settings", label, reverse(NETWORK_SETTINGS)
    if head == "kyc" and len(parts) >= 3 and parts[2].isdigit():
        return _client_fix(case, refs, int(parts[2]), parts[3:])
    if head == "mp" and len(parts) >= 3 and parts[2].isdigit():
        index = int(parts[2])
        policy_id = refs.get(f"P{index + 1}")
        label, name = _under(parts[3:], POLICY_FIELDS)
        if policy_id is None:
            return f"Policy {index + 1}", label, page + "#protection-policies"
        url = reverse("protection:policy_edit", kwargs={"policy_id": policy_id})
        return f"Policy {index + 1}", label, url + (f"#id_{name}" if name else "")
    if head == "mp" and parts[1:2] == ["advice_summary"]:
        return (
            "Demands & Needs",
            "Recommendation rationale",
            page + "#" + field_id(None, "recommendation"),
        )
    return "Submission", "/".join(parts), page


def describe(path: str) -> str:
    """Return a partner error path in our words, e.g. "Policy 1, Term (years)".

    Needs no case: the worker writes it into the submission's one-line summary
    (the Submissions page and the dashboard show it), where the case page's
    troubleshooting panel has the links of :func:`fixes`.
    """
    parts = [p for p in path.split("/") if p]
    if not parts:
        return ""
    head = parts[0]
    if head in ("firm_id", "adviser_uid"):
        return "Network Firm ID" if head == "firm_id" else "Adviser UID"
    if head in ("kyc", "mp") and len(parts) >= 3 and parts[2].isdigit():
        noun, table = (
            ("Client", CLIENT_FIELDS) if head == "kyc" else ("Policy", POLICY_FIELDS)
        )
        label, _target = _under(parts[3:], table)
        where = f"{noun} {int(parts[2]) + 1}"
        return f"{where}, {label}" if label else where
    if head == "mp" and parts[1:2] == ["advice_summary"]:
        return "Demands & Needs, Recommendation rationale"
    return "/".join(parts)


def fixes(*, case: Case, refs: dict[str, int], errors: list[Any]) -> list[Fix]:
    """Return each partner error placed on our field, in the partner's order."""
    found = []
    for error in errors:
        if not isinstance(error, dict):
            continue
        code = str(error.get("code", ""))
        where, label, url = _place(case, refs, str(error.get("path", "")))
        found.append(
            Fix(
                where=where,
                label=label,
                url=url,
                message=str(error.get("message", "")),
                advice=ADVICE.get(code, "Correct it and resubmit"),
                code=code,
            )
        )
    return found
