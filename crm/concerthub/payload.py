"""The KYC and M&P payload of a submission (docs/concert-hub/*.schema.json).

``build_payload`` turns a protection case's clients, Fact Finds, D&N and
policies into the partner's JSON, and returns with it the references
(``C1``, ``P1``...) that map the partner's error paths back to our records.
Optional fields that are empty are left out; required ones are always
present (empty if we have nothing), so the partner names what is missing.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crm.advice.factfind.choices import EmploymentStatus, SmokerStatus
from crm.advice.factfind.models import FactFind
from crm.advice.factfind.selectors import CaseFacts, case_facts
from crm.cases.models import Case, CaseApplicant
from crm.concerthub import selectors
from crm.firms.models import Firm
from crm.protection import selectors as protection
from crm.protection.choices import BenefitType, PremiumFrequency
from crm.protection.models import Policy

SCHEMA_VERSION = "1"
# The envelope keys of an amendment, left out when two payloads are compared.
AMENDMENT_KEYS = ("amends_submission_id", "amendment_reason")

# Our choices in the partner's vocabulary (docs/concert-hub/README.md).
BENEFIT_TYPES: dict[str, str] = {
    BenefitType.LIFE: "life",
    BenefitType.CRITICAL_ILLNESS: "critical_illness",
    BenefitType.LIFE_CRITICAL_ILLNESS: "life_and_critical_illness",
    BenefitType.INCOME_PROTECTION: "income_protection",
    BenefitType.FAMILY_INCOME_BENEFIT: "family_income_benefit",
    BenefitType.ASU: "asu",
    BenefitType.BUSINESS_PROTECTION: "business_protection",
    BenefitType.PMI: "pmi",
}
FREQUENCIES: dict[str, str] = {
    PremiumFrequency.MONTHLY: "monthly",
    PremiumFrequency.ANNUALLY: "annual",
}
EMPLOYMENT: dict[str, str] = {
    EmploymentStatus.EMPLOYED: "employed",
    EmploymentStatus.SELF_EMPLOYED: "self_employed",
    EmploymentStatus.CONTRACTOR: "self_employed",
    EmploymentStatus.RETIRED: "retired",
    EmploymentStatus.NOT_WORKING: "unemployed",
}


@dataclass(frozen=True)
class Built:
    """A payload and the records behind its references."""

    payload: dict[str, Any]
    refs: dict[str, int]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _gross_income(ff: FactFind) -> Decimal | None:
    parts = [ff.basic_income, ff.bonus_income, ff.overtime_income, ff.other_income]
    if all(p is None for p in parts):
        parts = [ff.net_profit_latest]
    if all(p is None for p in parts):
        return None
    return sum((p for p in parts if p is not None), Decimal(0))


def _address(ff: FactFind, applicant: CaseApplicant) -> dict[str, Any]:
    current = [a for a in ff.addresses.all() if a.moved_out is None] if ff.pk else []
    if current:
        row = current[0]
        return {"line_1": row.line1, "town": row.town, "postcode": row.postcode}
    contact = applicant.contact
    return {
        "line_1": contact.address_line1,
        "town": contact.town,
        "postcode": contact.postcode,
    }


def _client(ref: str, applicant: CaseApplicant, ff: FactFind) -> dict[str, Any]:
    contact = applicant.contact
    employment: dict[str, Any] = {
        "status": EMPLOYMENT.get(ff.employment_status, ff.employment_status),
        "occupation": ff.occupation,
    }
    if ff.employer:
        employment["employer"] = ff.employer
    client: dict[str, Any] = {
        "client_ref": ref,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "date_of_birth": ff.date_of_birth.isoformat() if ff.date_of_birth else None,
        "address": _address(ff, applicant),
        "contact": {
            "email": contact.email,
            "phone": contact.mobile or contact.other_phone,
        },
        "employment": employment,
        "income": {"gross_annual": _money(_gross_income(ff))},
        "smoker": ff.smoker_status == SmokerStatus.CURRENT
        if ff.smoker_status
        else None,
    }
    if contact.title:
        client["title"] = contact.title
    return client


def _lives_assured(policy: Policy, clients: dict[str, CaseApplicant]) -> list[str]:
    """Return the refs of the clients the policy's lives assured names (all if none)."""
    text = policy.lives_assured.lower()
    named = [
        ref
        for ref, applicant in clients.items()
        if text and applicant.contact.first_name.lower() in text
    ]
    return named or list(clients)


def _policy(
    ref: str, policy: Policy, clients: dict[str, CaseApplicant]
) -> dict[str, Any]:
    return {
        "policy_ref": ref,
        "provider": policy.provider,
        "benefit_type": BENEFIT_TYPES.get(policy.benefit_type, policy.benefit_type),
        "benefit_amount": _money(policy.benefit_amount),
        "premium": {
            "amount": _money(policy.premium),
            "frequency": FREQUENCIES.get(
                policy.premium_frequency, policy.premium_frequency
            ),
        },
        "term_years": policy.term_years,
        "cover_basis": policy.cover_basis,
        "lives_assured": _lives_assured(policy, clients),
    }


def build_payload(
    *,
    case: Case,
    facts: CaseFacts,
    policies: list[Policy],
    firm_id: str,
    adviser_uid: str,
    amends: str = "",
    reason: str = "",
) -> Built:
    """Return the submission for ``case`` as the partner's contract has it."""
    clients = {f"C{n}": a for n, a in enumerate(facts.applicants, start=1)}
    refs: dict[str, int] = {ref: a.pk for ref, a in clients.items()}
    refs |= {f"{ref}.contact": a.contact_id for ref, a in clients.items()}
    policy_refs = {f"P{n}": p for n, p in enumerate(policies, start=1)}
    refs |= {ref: p.pk for ref, p in policy_refs.items()}
    payload: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "firm_id": firm_id,
        "adviser_uid": adviser_uid,
        "case_reference": case.reference,
        "kyc": {
            "clients": [
                _client(ref, applicant, facts.fact_find_of(applicant))
                for ref, applicant in clients.items()
            ]
        },
        "mp": {
            "policies": [
                _policy(ref, policy, clients) for ref, policy in policy_refs.items()
            ],
        },
    }
    summary = facts.dn().recommendation.strip()
    if summary:
        payload["mp"]["advice_summary"] = summary
    if amends:
        payload["amends_submission_id"] = amends
        payload["amendment_reason"] = reason
    return Built(payload=payload, refs=refs)


def comparable(payload: dict[str, Any]) -> dict[str, Any]:
    """Return ``payload`` without its amendment keys, to compare two sends."""
    return {k: v for k, v in payload.items() if k not in AMENDMENT_KEYS}


def case_payload(
    *, firm: Firm, case: Case, amends: str = "", reason: str = ""
) -> Built:
    """Return the payload ``case`` would send now, read fresh from the database."""
    network = selectors.network_firm_get(firm=firm)
    adviser = selectors.network_adviser_get(firm=firm, user_id=case.owner_id)
    protection.forget_policies(case)
    return build_payload(
        case=case,
        facts=case_facts(firm=firm, case=case),
        policies=protection.case_policies(firm=firm, case=case),
        firm_id=network.network_firm_id if network else "",
        adviser_uid=adviser.adviser_uid if adviser else "",
        amends=amends,
        reason=reason,
    )
