"""Row factories for the big tables: realistic names, e-mails, phones, dates.

Each factory yields plain dicts keyed by attname (``firm_id``, ``contact_id``)
and allocates its own primary keys, so rows can point at each other without
reading anything back. Surnames follow a Zipf-like curve (a few very common
names), as a real client base does, so the "common surname" search is tested.
"""

import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

from bench.loader import Row, Table
from crm.advice.choices import (
    CLOSED_STATUSES,
    MORTGAGE_STAGES,
    PROTECTION_STAGES,
    AdviceKind,
    AdviceStatus,
)
from crm.cases import kinds as kind_registry
from crm.contacts.demo import FIRST, LAST, STREETS, TOWNS
from crm.contacts.normalise import normalise_email, normalise_phone, search_name
from crm.leads.choices import LeadSource, LeadStatus
from crm.leads.choices import status_rank as lead_status_rank
from crm.support.choices import SupportKind, SupportStatus

DAYS_OF_HISTORY = 5 * 365
DOMAINS = ("gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "icloud.com")
NOTES = (
    "Called to discuss the application; client to send payslips.",
    "Left a voicemail about the valuation date.",
    "Meeting booked to review affordability.",
    "Client asked about fixed versus tracker rates.",
    "Sent the key facts illustration by e-mail.",
    "Spoke with the solicitor about exchange.",
    "Follow-up on the protection quote.",
)
TASK_TITLES = (
    "Chase payslips",
    "Book valuation",
    "Send suitability letter",
    "Call client back",
    "Review protection needs",
    "Check offer expiry",
)
LEAD_STATUSES = (
    [LeadStatus.CONVERTED] * 40
    + [LeadStatus.NOT_PROCEEDING] * 25
    + [LeadStatus.NEW_LEAD] * 12
    + [LeadStatus.CALL_BACK] * 10
    + [LeadStatus.APPOINTMENT_SET] * 7
    + [LeadStatus.MEETING] * 6
)
SURNAME_WEIGHTS = list(accumulate(1 / (rank**0.8) for rank in range(1, len(LAST) + 1)))


@dataclass
class FirmRefs:
    """What one firm's rows point at: its members, lookups and id ranges."""

    firm_id: int
    users: list[int]
    interaction_types: list[int]
    task_categories: list[int]
    introducers: list[int]
    outcome_scales: list[int] = field(default_factory=list)
    contacts: range = range(0)
    # Each contact's sort name, by its place in ``contacts`` (cases copy it).
    sort_names: list[str] = field(default_factory=list)
    leads: "array[int]" = field(default_factory=lambda: array("q"))
    lead_contacts: "array[int]" = field(default_factory=lambda: array("q"))
    cases: "array[int]" = field(default_factory=lambda: array("q"))
    case_kinds: list[str] = field(default_factory=list)
    case_contacts: "array[int]" = field(default_factory=lambda: array("q"))
    last_numbers: dict[str, int] = field(default_factory=dict)
    # Each member's full name by user id (a case copies its owner's).
    user_names: dict[int, str] = field(default_factory=dict)


@dataclass
class Clock:
    """A fixed "now" so one run's dates are consistent."""

    now: datetime

    def past(self, rng: random.Random, days: int = DAYS_OF_HISTORY) -> datetime:
        return self.now - timedelta(seconds=rng.randrange(days * 86_400))

    def around_today(self, rng: random.Random, spread: int = 60) -> date:
        return self.now.date() + timedelta(days=rng.randint(-spread, spread))


def contacts(
    table: Table, refs: FirmRefs, count: int, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield ``count`` people (2% organisations) with unique e-mails and mobiles."""
    start = table.next_id
    refs.contacts = range(start, start + count)
    refs.sort_names = []
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for _ in range(count):
        pk = table.allocate()
        first = rng.choice(FIRST)
        last = rng.choices(LAST, cum_weights=SURNAME_WEIGHTS)[0]
        town, area = rng.choice(TOWNS)
        mobile = f"07{pk % 1000:03d} {rng.randint(100000, 999999)}"
        created = clock.past(rng)
        row: Row = {
            "id": pk,
            "firm_id": refs.firm_id,
            "address_line1": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            "town": town,
            "postcode": f"{area}{rng.randint(1, 16)} {rng.randint(1, 9)}AB",
            "created_by_id": rng.choice(refs.users),
            "created_at": created,
            "updated_at": created,
        }
        if pk % 50 == 0:
            org = f"{last} & {rng.choice(LAST)} Ltd"
            email = f"office{pk}@{last.lower()}-{pk % 97}.example"
            row |= {"kind": "organisation", "organisation_name": org}
            row |= {"sort_name": search_name(org), "search_name": search_name(org)}
        else:
            email = f"{first}.{last}{pk}@{rng.choice(DOMAINS)}".lower().replace("'", "")
            if (first, last) not in names:
                names[first, last] = (
                    search_name(last, first),
                    search_name(first, last),
                )
            sort, search = names[first, last]
            row |= {"kind": "person", "first_name": first, "last_name": last}
            row |= {"sort_name": sort, "search_name": search}
            row["date_of_birth"] = date(1950, 1, 1) + timedelta(
                days=rng.randrange(20000)
            )
        row |= {"email": email, "email_norm": normalise_email(email)}
        row |= {"mobile": mobile, "mobile_norm": normalise_phone(mobile)}
        row["is_archived"] = pk % 40 == 0
        refs.sort_names.append(row["sort_name"])
        yield row


def leads(
    table: Table, refs: FirmRefs, count: int, rng: random.Random, clock: Clock
) -> Iterator[Row]:
    """Yield leads across the pipeline; converted ones get a case later."""
    for _ in range(count):
        pk = table.allocate()
        contact_id = rng.choice(refs.contacts)
        status = rng.choice(LEAD_STATUSES)
        created = clock.past(rng, 2 * 365)
        if status == LeadStatus.CONVERTED:
            refs.leads.append(pk)
            refs.lead_contacts.append(contact_id)
        yield {
            "id": pk,
            "firm_id": refs.firm_id,
            "contact_id": contact_id,
            "source": rng.choice(LeadSource.values),
            "owner_id": rng.choice(refs.users),
            "status": status,
            "status_rank": lead_status_rank(status),
            "client_sort_name": refs.sort_names[contact_id - refs.contacts.start],
            "follow_up_date": clock.around_today(rng) if rng.random() < 0.6 else None,
            "converted_at": created if status == LeadStatus.CONVERTED else None,
            "created_by_id": rng.choice(refs.users),
            "created_at": created,
            "updated_at": created,
        }


def _kinds(support: bool) -> list[str]:
    mortgage, protection = AdviceKind.MORTGAGE.value, AdviceKind.PROTECTION.value
    if support:
        return [mortgage] * 45 + [protection] * 35 + [SupportKind.SUPPORT.value] * 20
    return [mortgage] * 55 + [protection] * 45


def _status(kind: str, rng: random.Random) -> str:
    closed = rng.random() < 0.55
    if kind == SupportKind.SUPPORT:
        return SupportStatus.CLOSED if closed else SupportStatus.OPEN
    stages = MORTGAGE_STAGES if kind == AdviceKind.MORTGAGE else PROTECTION_STAGES
    ends = [str(s) for s in (*stages, AdviceStatus.NOT_PROCEEDING_WITH)]
    if closed:
        return rng.choice([s for s in ends if s in CLOSED_STATUSES])
    return rng.choice([s for s in ends if s not in CLOSED_STATUSES])


def cases(
    table: Table,
    refs: FirmRefs,
    count: int,
    rng: random.Random,
    clock: Clock,
    *,
    support: bool,
) -> Iterator[Row]:
    """Yield cases of every kind; the first ones are the converted leads' cases."""
    kinds = _kinds(support)
    for i in range(count):
        pk = table.allocate()
        from_lead = i < len(refs.leads)
        kind = rng.choice(kinds[:80] if from_lead else kinds)
        number = refs.last_numbers.get(kind, 0) + 1
        refs.last_numbers[kind] = number
        status = _status(kind, rng)
        is_open = status not in CLOSED_STATUSES
        contact = refs.lead_contacts[i] if from_lead else rng.choice(refs.contacts)
        refs.cases.append(pk)
        refs.case_kinds.append(kind)
        refs.case_contacts.append(contact)
        created = clock.past(rng, 3 * 365)
        owner = rng.choice(refs.users)
        yield {
            "id": pk,
            "firm_id": refs.firm_id,
            "kind": kind,
            "number": number,
            "reference": f"{kind_registry.get(kind).reference_code}-{number:05d}",
            "title": f"{kind.title()} case {number}",
            "status": status,
            "status_rank": kind_registry.status_rank(status),
            "client_sort_name": refs.sort_names[contact - refs.contacts.start],
            "kind_rank": kind_registry.kind_rank(kind),
            "is_open": is_open,
            "owner_id": owner,
            "owner_sort_name": refs.user_names.get(owner),
            "follow_up_date": clock.around_today(rng)
            if is_open and rng.random() < 0.7
            else None,
            "is_joint": pk % 5 == 0,
            "lead_id": refs.leads[i] if from_lead else None,
            "introducer_id": rng.choice(refs.introducers) if pk % 10 == 0 else None,
            "closed_at": None if is_open else created + timedelta(days=60),
            "created_by_id": rng.choice(refs.users),
            "created_at": created,
            "updated_at": created,
        }


def applicants(table: Table, refs: FirmRefs) -> Iterator[Row]:
    """Yield each case's main applicant, and a second one on every fifth case."""
    span = len(refs.contacts)
    for case_id, contact_id in zip(refs.cases, refs.case_contacts, strict=True):
        yield {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "case_id": case_id,
            "contact_id": contact_id,
            "position": 1,
        }
        if case_id % 5 == 0 and span > 1:
            other = refs.contacts[(contact_id - refs.contacts.start + 1) % span]
            yield {
                "id": table.allocate(),
                "firm_id": refs.firm_id,
                "case_id": case_id,
                "contact_id": other,
                "position": 2,
            }


def mortgage_details(table: Table, refs: FirmRefs, rng: random.Random) -> Iterator[Row]:
    """Yield the mortgage details of the firm's mortgage cases."""
    for case_id, kind in zip(refs.cases, refs.case_kinds, strict=True):
        if kind != AdviceKind.MORTGAGE:
            continue
        value = rng.randrange(150, 900) * 1000
        yield {
            "id": table.allocate(),
            "firm_id": refs.firm_id,
            "case_id": case_id,
            "purpose": rng.choice(["purchase", "remortgage"]),
            "property_value": Decimal(value),
            "loan_amount": Decimal(value * rng.randint(50, 90) // 100),
            "term_years": rng.choice([20, 25, 30, 35]),
            "repayment_method": "repayment",
            "lender": rng.choice(["Nationwide", "Halifax", "Barclays", "Santander"]),
        }
