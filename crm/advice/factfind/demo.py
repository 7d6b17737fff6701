"""Demo Fact Finds and Demands & Needs: a mix of complete and incomplete (F1-F3).

Called by ``crm.advice.demo`` for each new demo case, through the services,
so the History cards show the entries. A client on several cases keeps the
Fact Find the first of them filled in.
"""

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.advice.factfind import services
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.firms.models import Firm, User

OCCUPATIONS = (
    ("Nurse", "NHS Lothian"),
    ("Software engineer", "Skyscanner"),
    ("Teacher", "City of Edinburgh Council"),
    ("Electrician", "Forth Electrical Ltd"),
    ("Accountant", "Quayside Accountancy"),
)
ADDRESSES = (
    ("12 Shore Road", "Leith", "EH6 6QW"),
    ("3/2 Bruntsfield Place", "Edinburgh", "EH10 4HN"),
    ("44 Portobello High Street", "Edinburgh", "EH15 1DA"),
)


def _full(
    firm: Firm, actor: User, case: Case, contact: Contact, rng: random.Random
) -> None:
    today = timezone.localdate()
    occupation, employer = rng.choice(OCCUPATIONS)
    basic = Decimal(rng.randrange(24_000, 72_000, 500))
    sections: dict[str, dict[str, Any]] = {
        "personal": {
            "date_of_birth": contact.date_of_birth
            or date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28)),
            "marital_status": rng.choice(["single", "married", "cohabiting"]),
            "nationality": "British",
            "dependants": rng.choice([0, 0, 1, 2]),
            "dependants_ages": "",
        },
        "employment": {
            "employment_status": "employed",
            "occupation": occupation,
            "employer": employer,
            "employment_start": today - timedelta(days=rng.randint(400, 4000)),
        },
        "income": {
            "basic_income": basic,
            "bonus_income": Decimal(rng.choice([0, 1500, 3000])),
            "net_monthly_income": (basic * Decimal("0.72") / 12).quantize(Decimal(1)),
        },
        "health": {
            "smoker_status": rng.choice(["never", "ex"]),
            "health_conditions": "no",
        },
    }
    for section, data in sections.items():
        if section == "personal" and data["dependants"]:
            data["dependants_ages"] = ", ".join(
                str(rng.randint(1, 15)) for _ in range(int(data["dependants"]))
            )
        services.fact_find_update(
            firm=firm,
            actor=actor,
            contact=contact,
            case=case,
            section=section,
            data=data,
        )
    line1, town, postcode = rng.choice(ADDRESSES)
    if contact.address_line1 and contact.postcode:
        # The current address is the one on the contact's record.
        line1, town = contact.address_line1, contact.town
        postcode = contact.postcode
    services.fact_find_row_add(
        firm=firm,
        actor=actor,
        contact=contact,
        case=case,
        section="addresses",
        data={
            "line1": line1,
            "town": town,
            "postcode": postcode,
            "moved_in": today - timedelta(days=rng.randint(1200, 3000)),
            "moved_out": None,
        },
    )
    services.fact_find_row_add(
        firm=firm,
        actor=actor,
        contact=contact,
        case=case,
        section="commitments",
        data={
            "kind": "car_finance",
            "description": "PCP",
            "monthly_payment": Decimal(rng.randrange(150, 400, 5)),
            "balance": Decimal(rng.randrange(3000, 14000, 100)),
        },
    )


def _partial(firm: Firm, actor: User, case: Case, contact: Contact) -> None:
    services.fact_find_update(
        firm=firm,
        actor=actor,
        contact=contact,
        case=case,
        section="personal",
        data={"marital_status": "married", "nationality": "British"},
    )
    services.fact_find_update(
        firm=firm,
        actor=actor,
        contact=contact,
        case=case,
        section="employment",
        data={"employment_status": "self_employed", "occupation": "Joiner"},
    )


DN = {
    AdviceKind.MORTGAGE: {
        "purpose": "Moving to a bigger home",
        "property_value": Decimal(325_000),
        "deposit": Decimal(65_000),
        "loan_amount": Decimal(260_000),
        "term_years": 25,
        "repayment_method": "repayment",
        "rate_preference": "fixed",
        "fee_preference": "add",
    },
    AdviceKind.PROTECTION: {
        "cover_reasons": "Clear the mortgage and support the family if either dies.",
        "cover_types": ["life", "critical_illness"],
        "cover_amount": Decimal(250_000),
        "cover_term_years": 25,
        "monthly_budget": Decimal(65),
        "existing_cover": "Death in service at four times salary.",
        "priorities": "Mortgage protection first, then income.",
    },
}


def seed_case(
    firm: Firm,
    actor: User,
    case: Case,
    contacts: list[Contact],
    index: int,
    rng: random.Random,
    done: set[int],
) -> None:
    """Fill in the case's Fact Finds and D&N: complete, partial or empty by index."""
    state = index % 3  # 0 complete, 1 partial, 2 not started
    if state == 2:
        return
    for contact in contacts:
        if contact.pk in done:
            continue
        done.add(contact.pk)
        if state == 0:
            _full(firm, actor, case, contact, rng)
        else:
            _partial(firm, actor, case, contact)
    part = "mortgage" if case.kind == AdviceKind.MORTGAGE else "protection"
    data = dict(DN[AdviceKind(case.kind)])
    if state == 1:
        data = dict(list(data.items())[:3])
    services.demands_needs_update(
        firm=firm, actor=actor, case=case, section=part, data=data
    )
    if state == 0:
        services.demands_needs_update(
            firm=firm,
            actor=actor,
            case=case,
            section="advice",
            data={
                "adviser_notes": "Met both clients at home; budget agreed.",
                "recommendation": "Level term assurance to match the mortgage term.",
            },
        )
