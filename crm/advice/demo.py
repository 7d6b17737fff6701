"""Demo cases: about forty at the advice firm, of both kinds in every status.

Cases are opened through ``case_create`` (numbering, applicants, history,
timeline, audit), a few of them from open leads. A case further along its
pipeline is then walked there through ``case_move``, a stage at a time, so a
completed mortgage opens its Remortgage case; some cases get small PDF
documents through the upload service.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from crm.advice.choices import (
    CLOSED_STATUSES,
    TRANSITIONS,
    WIZARD_START_STATUSES,
    AdviceKind,
    AdviceStatus,
    MortgagePurpose,
    MortgageType,
    RepaymentMethod,
    statuses_for,
)
from crm.advice.factfind import demo as factfind_demo
from crm.cases.choices import DocumentType
from crm.cases.models import Case
from crm.cases.services import NewCase, case_create, case_move
from crm.cases.services.documents import document_upload
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.firms.choices import Role
from crm.firms.demo import ADVICE_FIRM, MIXED_FIRM
from crm.firms.models import Firm, Membership, Negotiator, User
from crm.leads.choices import OPEN_STATUSES as OPEN_LEAD_STATUSES
from crm.leads.models import Lead

CASE_COUNT = 40
LEADS_TO_CONVERT = 4
DEMO_PDF = b"%PDF-1.4\n% demo\n"
# Follow-up offsets in days from today: overdue, due today and coming up.
FOLLOW_UPS = (-10, -4, -1, 0, 0, 1, 3, 7, 14, None)
LENDERS = (
    ("Nationwide", "2 year fixed 4.29%"),
    ("Halifax", "5 year fixed 4.09%"),
    ("Barclays", "2 year tracker base + 0.79%"),
    ("Santander", "5 year fixed 4.15%"),
    ("Coventry BS", "2 year fixed 4.35%"),
    ("Skipton BS", "Track Record mortgage 5.49%"),
)
# Case notes that fit the case: a protection case is never "First-time buyers".
MORTGAGE_NOTES = {
    MortgagePurpose.PURCHASE: (
        "First-time buyers; deposit from savings and a family gift.",
        "Self-employed; two years of accounts provided.",
        "Selling the flat to buy a family house; chain of three.",
        "",
    ),
    MortgagePurpose.REMORTGAGE: (
        "Remortgage at the end of a two-year fix.",
        "Wants to fix for five years and take two years off the term.",
        "",
    ),
    MortgagePurpose.FURTHER_ADVANCE: (
        "Borrowing more for a loft conversion.",
        "",
    ),
}
BUY_TO_LET_NOTES = ("Second property to let; experienced landlord.", "")
PROTECTION_NOTES = (
    "Wants life and critical illness cover alongside the new mortgage.",
    "Self-employed with no sick pay; looking at income protection.",
    "New baby; wants life cover for the family.",
    "",
)
CLOSE_REASONS = {
    AdviceStatus.NOT_PROCEEDING_WITH: (
        "Client decided to stay with their current lender."
    ),
    AdviceStatus.DECLINED_BY_PROVIDER: "Declined on medical history.",
}
CASE_DOCUMENTS = (
    (DocumentType.ID, "passport.pdf"),
    (DocumentType.PAYSLIP, "payslip-march.pdf"),
    (DocumentType.BANK_STATEMENT, "bank-statement.pdf"),
    (DocumentType.OFFER_LETTER, "mortgage-offer.pdf"),
    (DocumentType.POLICY_DOCUMENT, "policy-schedule.pdf"),
)


def _plan(rng: random.Random) -> list[tuple[str, AdviceStatus]]:
    """Return (kind, final status) for every demo case: each status at least once."""
    plan = [
        (str(kind), status)
        for kind in (AdviceKind.MORTGAGE, AdviceKind.PROTECTION)
        for status in statuses_for(kind)
    ]
    open_mortgage = [
        s for s in statuses_for(AdviceKind.MORTGAGE) if s not in CLOSED_STATUSES
    ]
    open_protection = [
        s for s in statuses_for(AdviceKind.PROTECTION) if s not in CLOSED_STATUSES
    ]
    while len(plan) < CASE_COUNT:
        if rng.random() < 0.65:
            plan.append((AdviceKind.MORTGAGE, rng.choice(open_mortgage)))
        else:
            plan.append((AdviceKind.PROTECTION, rng.choice(open_protection)))
    rng.shuffle(plan)
    return plan


def _mortgage_extra(
    rng: random.Random, status: AdviceStatus
) -> tuple[str, dict[str, object]]:
    """Return a mortgage type and filled-in details that fit ``status``."""
    mortgage_type = rng.choice(
        [MortgageType.RESIDENTIAL] * 3 + [MortgageType.BUY_TO_LET]
    )
    value = Decimal(rng.randrange(180_000, 650_000, 5_000))
    ltv = Decimal(rng.choice([60, 75, 80, 85, 90]))
    lender, product = rng.choice(LENDERS)
    stages = statuses_for(AdviceKind.MORTGAGE)
    reached = stages.index(status) if status in stages else 0
    today = timezone.localdate()
    applied = today - timedelta(days=rng.randint(20, 60))
    extra: dict[str, object] = {
        "purpose": MortgagePurpose.REMORTGAGE
        if status == AdviceStatus.REMORTGAGE
        else rng.choice(list(MortgagePurpose)),
        "property_value": value,
        "loan_amount": (value * ltv / 100).quantize(Decimal(1)),
        "term_years": rng.choice([20, 25, 30, 35]),
        "term_months": 0,
        "repayment_method": RepaymentMethod.INTEREST_ONLY
        if mortgage_type == MortgageType.BUY_TO_LET
        else RepaymentMethod.REPAYMENT,
        "lender": lender,
        "product": product,
    }
    if reached >= stages.index(AdviceStatus.DECISION_IN_PRINCIPLE):
        extra["application_date"] = applied
    if reached >= stages.index(AdviceStatus.OFFER_RECEIVED):
        extra["offer_date"] = applied + timedelta(days=18)
    if reached >= stages.index(AdviceStatus.CONTRACTS_EXCHANGED):
        extra["completion_date"] = applied + timedelta(days=rng.randint(45, 70))
        extra["product_end_date"] = date(
            today.year + rng.choice([2, 5]), today.month, 1
        )
    return mortgage_type, extra


def case_notes(kind: str, details: dict[str, object]) -> tuple[str, ...]:
    """Return the notes that fit a case of ``kind`` with these mortgage details."""
    if kind != AdviceKind.MORTGAGE:
        return PROTECTION_NOTES
    if details.get("mortgage_type") == MortgageType.BUY_TO_LET:
        return BUY_TO_LET_NOTES
    return MORTGAGE_NOTES[MortgagePurpose(str(details["purpose"]))]


def _path(kind: str, start: str, target: str) -> list[str]:
    """Return the stages from ``start`` to ``target`` through the kind's table."""
    table = TRANSITIONS[kind]
    previous: dict[str, str] = {}
    todo = [start]
    while todo:
        stage = todo.pop(0)
        if stage == target:
            break
        for step in sorted(table.get(stage, ()), key=list(table).index):
            if step not in previous and step != start:
                previous[step] = stage
                todo.append(step)
    path = []
    while target != start:
        path.append(target)
        target = previous[target]
    return path[::-1]


def _move(firm: Firm, actor: User, case: Case, status: AdviceStatus) -> None:
    """Walk a new case to ``status`` through ``case_move``, a stage at a time.

    So its History reads as the adviser's would, and a completed mortgage
    opens its Remortgage case as it would in use.
    """
    for step in _path(case.kind, case.status, status):
        case_move(
            firm=firm,
            actor=actor,
            case=case,
            status=step,
            reason=CLOSE_REASONS.get(AdviceStatus(step), ""),
        )


def _documents(firm: Firm, actor: User, case: Case, rng: random.Random) -> None:
    kinds = [
        d
        for d in CASE_DOCUMENTS
        if case.kind == AdviceKind.MORTGAGE
        or d[0]
        in {
            DocumentType.ID,
            DocumentType.POLICY_DOCUMENT,
            DocumentType.BANK_STATEMENT,
        }
    ]
    for document_type, name in rng.sample(kinds, k=rng.randint(1, 2)):
        document_upload(
            firm=firm,
            actor=actor,
            upload=ContentFile(DEMO_PDF, name=name),
            document_type=document_type,
            case=case,
        )


def _seed_mixed(firm: Firm) -> None:
    """Give the firm with both modules a client with two needs, once (C3).

    Its lead at Meeting becomes a mortgage case, walked to Valuation
    Instructed, and then a protection case from the same (converted) lead.
    """
    if Case.objects.filter(firm=firm).exists():
        return
    lead = (
        Lead.objects.filter(firm=firm, status=OPEN_LEAD_STATUSES[-1])
        .select_related("contact", "owner")
        .order_by("id")
        .first()
    )
    if lead is None or lead.owner is None:
        return
    rng = random.Random(7)  # noqa: S311 - repeatable demo data, not security
    today = timezone.localdate()
    mortgage_type, extra = _mortgage_extra(rng, AdviceStatus.VALUATION_INSTRUCTED)
    extra["purpose"] = MortgagePurpose.PURCHASE
    plans: tuple[tuple[str, int, dict[str, object]], ...] = (
        (AdviceKind.MORTGAGE, -1, {"mortgage_type": mortgage_type, **extra}),
        (AdviceKind.PROTECTION, 5, {"mortgage_type": MortgageType.RESIDENTIAL}),
    )
    for kind, follow_up, details in plans:
        case = case_create(
            firm=firm,
            actor=lead.owner,
            data=NewCase(
                kind=kind,
                applicants=[lead.contact],
                owner=lead.owner,
                status=AdviceStatus.NEW_LEAD,
                follow_up_date=today + timedelta(days=follow_up),
                note=case_notes(kind, details)[0],
                lead=lead,
                details={"offer_qualified": False, **details},
            ),
        )
        if kind == AdviceKind.MORTGAGE:
            _move(firm, lead.owner, case, AdviceStatus.VALUATION_INSTRUCTED)
        lead.refresh_from_db()


def seed(firms: dict[str, Firm]) -> None:
    """Create the advice firms' demo cases; do nothing where a firm has cases."""
    if MIXED_FIRM in firms:
        _seed_mixed(firms[MIXED_FIRM])
    firm = firms[ADVICE_FIRM]
    if Case.objects.filter(firm=firm).exists():
        return
    rng = random.Random(5)  # noqa: S311 - repeatable demo data, not security
    advisers = [
        m.user
        for m in Membership.objects.filter(firm=firm, role=Role.ADVISER, is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]
    if not advisers:
        return
    people = list(
        Contact.objects.filter(
            firm=firm, kind=ContactKind.PERSON, is_archived=False
        ).order_by("id")
    )
    if len(people) < 2:
        return
    leads = list(
        Lead.objects.filter(firm=firm, status__in=OPEN_LEAD_STATUSES)
        .select_related("contact")
        .order_by("id")[:LEADS_TO_CONVERT]
    )
    negotiators = list(
        Negotiator.objects.filter(firm=firm, is_active=True)
        .select_related("branch__introducer")
        .order_by("id")
    )
    # People without leads first, so cases and leads mostly show different clients.
    lead_people = {lead.contact_id for lead in leads}
    pool = [p for p in people if p.pk not in lead_people][::-1] or people
    today = timezone.localdate()
    with_fact_find: set[int] = set()
    for index, (kind, status) in enumerate(_plan(rng)):
        lead = leads[index] if index < len(leads) else None
        main = lead.contact if lead is not None else pool[index % len(pool)]
        applicants = [main]
        if index % 4 == 1:
            partner = pool[(index + 7) % len(pool)]
            if partner.pk != main.pk:
                applicants.append(partner)
        owner = advisers[index % len(advisers)]
        negotiator = (
            rng.choice(negotiators) if negotiators and rng.random() < 0.4 else None
        )
        offset = rng.choice(FOLLOW_UPS)
        start = status if status in WIZARD_START_STATUSES else AdviceStatus.NEW_LEAD
        if kind == AdviceKind.MORTGAGE and status == AdviceStatus.REMORTGAGE:
            start = AdviceStatus.REMORTGAGE
        mortgage_type, extra = (
            _mortgage_extra(rng, status)
            if kind == AdviceKind.MORTGAGE
            else (MortgageType.RESIDENTIAL, {})
        )
        case = case_create(
            firm=firm,
            actor=owner,
            data=NewCase(
                kind=kind,
                applicants=applicants,
                owner=owner,
                status=start,
                follow_up_date=today + timedelta(days=offset)
                if offset is not None
                else None,
                note=rng.choice(
                    case_notes(kind, {"mortgage_type": mortgage_type, **extra})
                ),
                introducer=negotiator.branch.introducer if negotiator else None,
                introducer_branch=negotiator.branch if negotiator else None,
                negotiator=negotiator,
                lead=lead,
                details={
                    "mortgage_type": mortgage_type,
                    "offer_qualified": kind == AdviceKind.MORTGAGE
                    and rng.random() < 0.3,
                    **extra,
                },
            ),
        )
        if status != start:
            _move(firm, owner, case, status)
        if index % 3 == 0:
            _documents(firm, owner, case, rng)
        factfind_demo.seed_case(
            firm, owner, case, applicants, index, rng, with_fact_find
        )
