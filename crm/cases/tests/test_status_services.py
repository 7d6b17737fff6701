"""Case status services: moves per kind, closing, reopening, edits, mortgage details."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.advice import services as advice_services
from crm.advice.choices import (
    CLOSED_STATUSES,
    TRANSITIONS,
    AdviceEventType,
    AdviceKind,
    AdviceStatus,
)
from crm.advice.models import MortgageDetails
from crm.advice.services.remortgage import months_before
from crm.cases import services
from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core import validation
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.tests.factories import (
    IntroducerBranchFactory,
    MembershipFactory,
    NegotiatorFactory,
)

pytestmark = pytest.mark.django_db

S = AdviceStatus


def move(firm, case, status, reason="", actor=None):
    return services.case_move(
        firm=firm, actor=actor, case=case, status=status, reason=reason
    )


@pytest.mark.parametrize(
    ("kind", "start", "target"),
    [
        (AdviceKind.MORTGAGE, S.NEW_LEAD, S.DECISION_IN_PRINCIPLE),
        (AdviceKind.MORTGAGE, S.MEETING, S.CALL_BACK),
        (AdviceKind.PROTECTION, S.MEETING, S.QUOTED),
        (AdviceKind.PROTECTION, S.NEW_LEAD, S.FACT_FIND),
        (AdviceKind.MORTGAGE, S.OFFER_RECEIVED, S.VALUATION_INSTRUCTED),
        (AdviceKind.MORTGAGE, S.REMORTGAGE, S.DECISION_IN_PRINCIPLE),
        (AdviceKind.PROTECTION, S.DECISION_RECEIVED, S.QUOTED),
    ],
)
def test_case_move_accepts_legal_moves_of_its_kind(firm, staff, kind, start, target):
    """A move listed in the kind's transition table changes the status."""
    case = make_case(firm, kind=kind, status=start)
    move(firm, case, target, actor=staff.user)
    case.refresh_from_db()
    assert case.status == target
    assert case.is_open is True
    event = CaseEvent.objects.get(case=case, type=CaseEventType.STATUS_CHANGED)
    assert event.parameters == {"from": start, "to": target, "reason": ""}
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), verb=AuditVerb.STATUS_CHANGE
    ).exists()


@pytest.mark.parametrize(
    ("kind", "start", "target"),
    [
        (AdviceKind.MORTGAGE, S.NEW_LEAD, S.QUOTED),
        (AdviceKind.MORTGAGE, S.NEW_LEAD, S.REMORTGAGE),
        (AdviceKind.MORTGAGE, S.NEW_LEAD, S.DECLINED_BY_PROVIDER),
        (AdviceKind.PROTECTION, S.NEW_LEAD, S.COMPLETED),
        (AdviceKind.PROTECTION, S.NEW_LEAD, S.DECLINED_BY_PROVIDER),
        (AdviceKind.MORTGAGE, S.NEW_LEAD, "nonsense"),
        (AdviceKind.MORTGAGE, S.NEW_LEAD, S.COMPLETED),
        (AdviceKind.MORTGAGE, S.MEETING, S.OFFER_RECEIVED),
        (AdviceKind.MORTGAGE, S.CONTRACTS_EXCHANGED, S.NEW_LEAD),
        (AdviceKind.PROTECTION, S.CALL_BACK, S.ON_RISK),
        (AdviceKind.PROTECTION, S.QUOTED, S.DECLINED_BY_PROVIDER),
    ],
)
def test_case_move_refuses_moves_outside_the_table(firm, kind, start, target):
    """A move the kind's table does not list raises and changes nothing."""
    case = make_case(firm, kind=kind, status=start)
    with pytest.raises(ApplicationError, match="cannot move"):
        move(firm, case, target)
    case.refresh_from_db()
    assert case.status == start


def test_case_move_reads_status_afresh(firm):
    """A stale in-memory status does not let an illegal move through."""
    case = make_case(firm, status=S.NEW_LEAD)
    stale = Case.objects.get(pk=case.pk)
    move(firm, case, S.NOT_PROCEEDING_WITH, reason="Went elsewhere")
    with pytest.raises(ApplicationError, match="cannot move"):
        move(firm, stale, S.MEETING)


def test_not_proceeding_with_needs_a_reason(firm):
    """Not Proceeding With without a reason is refused."""
    case = make_case(firm)
    with pytest.raises(ApplicationError, match="Say why") as info:
        move(firm, case, S.NOT_PROCEEDING_WITH, reason="   ")
    assert info.value.field == "reason"


def test_moving_into_a_closed_status_closes_the_case(firm, staff):
    """A closing stage sets is_open False, closed_at, the reason and a Closed event."""
    contact = ContactFactory(firm=firm)
    case = make_case(firm, applicants=[contact])
    move(firm, case, S.NOT_PROCEEDING_WITH, reason="Chose another broker")
    case.refresh_from_db()
    assert case.is_open is False
    assert case.closed_at is not None
    assert case.close_reason == "Chose another broker"
    assert CaseEvent.objects.filter(case=case, type=CaseEventType.CLOSED).exists()
    summaries = list(
        ContactEvent.objects.filter(contact=contact).values_list("summary", flat=True)
    )
    assert any("Not Proceeding With: Chose another broker" in s for s in summaries)


def test_closed_stages_allow_no_further_moves():
    """Every closed stage of every kind has no outgoing move."""
    for moves in TRANSITIONS.values():
        for status, targets in moves.items():
            if status in CLOSED_STATUSES:
                assert targets == frozenset()


def test_case_reopen_needs_a_reason_and_an_open_stage(firm):
    """Reopening without a reason, at a closed stage or of an open case is refused."""
    case = make_case(firm, kind=AdviceKind.PROTECTION)
    with pytest.raises(ApplicationError, match="already open"):
        services.case_reopen(
            firm=firm, actor=None, case=case, reason="x", status=S.MEETING
        )
    move(firm, case, S.NOT_PROCEEDING_WITH, reason="Paused")
    with pytest.raises(ApplicationError, match="Say why"):
        services.case_reopen(
            firm=firm, actor=None, case=case, reason=" ", status=S.MEETING
        )
    with pytest.raises(ApplicationError, match="open stage"):
        services.case_reopen(
            firm=firm, actor=None, case=case, reason="Back", status=S.ON_RISK
        )
    with pytest.raises(ApplicationError, match="open stage"):
        services.case_reopen(
            firm=firm, actor=None, case=case, reason="Back", status=S.VALUATION_RECEIVED
        )


def test_case_reopen_opens_the_case_at_the_chosen_stage(firm, staff):
    """A reopened case is open again, at the stage chosen, with a Reopened event."""
    case = make_case(firm)
    move(firm, case, S.NOT_PROCEEDING_WITH, reason="Paused")
    services.case_reopen(
        firm=firm, actor=staff.user, case=case, reason="Client back", status=S.MEETING
    )
    case.refresh_from_db()
    assert (case.status, case.is_open, case.closed_at, case.close_reason) == (
        S.MEETING,
        True,
        None,
        "",
    )
    event = CaseEvent.objects.get(case=case, type=CaseEventType.REOPENED)
    assert event.parameters["reason"] == "Client back"
    assert event.actor == staff.user


def test_completing_a_mortgage_opens_a_remortgage_case(firm, staff):
    """Completed opens a Remortgage case: same clients and owner, review date set."""
    first, second = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(
        firm, status=S.CONTRACTS_EXCHANGED, applicants=[first, second], owner=staff.user
    )
    MortgageDetails.objects.filter(case=case).update(product_end_date=date(2031, 8, 31))
    move(firm, case, S.COMPLETED)
    case.refresh_from_db()
    assert case.is_open is False
    follow = Case.objects.exclude(pk=case.pk).get()
    assert follow.kind == AdviceKind.MORTGAGE
    assert follow.status == S.REMORTGAGE
    assert follow.is_open is True
    assert follow.owner == staff.user
    assert follow.follow_up_date == date(2031, 2, 28)
    assert follow.note == f"Remortgage review of {case.reference}"
    assert [a.contact for a in follow.applicants.all()] == [first, second]


def test_remortgage_case_has_no_follow_up_without_product_end_date(firm):
    """Without a product end date the Remortgage case has no follow-up date."""
    case = make_case(firm, status=S.CONTRACTS_EXCHANGED)
    move(firm, case, S.COMPLETED)
    follow = Case.objects.exclude(pk=case.pk).get()
    assert follow.follow_up_date is None


def test_protection_on_risk_opens_no_remortgage(firm):
    """Only mortgage cases get a Remortgage case when they finish."""
    case = make_case(firm, kind=AdviceKind.PROTECTION, status=S.DECISION_RECEIVED)
    move(firm, case, S.ON_RISK)
    assert Case.objects.count() == 1


def test_months_before_clamps_to_the_end_of_the_month():
    """Six months before 31 August is 28 February (or 29th in a leap year)."""
    assert months_before(date(2031, 8, 31), 6) == date(2031, 2, 28)
    assert months_before(date(2032, 8, 31), 6) == date(2032, 2, 29)
    assert months_before(date(2031, 3, 15), 6) == date(2030, 9, 15)


def test_case_update_records_the_diff(firm, staff):
    """Changing owner, follow-up and note appends an Updated event with the diff."""
    case = make_case(firm)
    services.case_update(
        firm=firm,
        actor=staff.user,
        case=case,
        owner=staff.user,
        follow_up_date=date(2030, 1, 2),
        note=" Call after 5pm ",
    )
    case.refresh_from_db()
    assert case.note == "Call after 5pm"
    event = CaseEvent.objects.get(case=case, type=CaseEventType.UPDATED)
    assert set(event.parameters["changes"]) == {"owner", "follow_up_date", "note"}


def test_case_update_refuses_an_owner_from_another_firm(firm, other_firm):
    """An owner who is not a member of the firm is refused."""
    outsider = MembershipFactory(firm=other_firm).user
    case = make_case(firm)
    with pytest.raises(ApplicationError, match="member of this firm"):
        services.case_update(
            firm=firm,
            actor=None,
            case=case,
            owner=outsider,
            follow_up_date=None,
            note="",
        )


def test_services_refuse_a_case_of_another_firm(firm, other_firm):
    """A case of another firm is refused by every status service."""
    case = make_case(other_firm)
    with pytest.raises(ApplicationError, match="not in this firm"):
        move(firm, case, S.MEETING)


def mortgage(**overrides):
    values = {"mortgage_type": "residential", **overrides}
    return advice_services.MortgageData(**values)


def test_mortgage_update_saves_details_and_ltv(firm, staff):
    """Saved details give the LTV and a Mortgage details updated event."""
    case = make_case(firm)
    details = advice_services.mortgage_update(
        firm=firm,
        actor=staff.user,
        case=case,
        data=mortgage(
            property_value=Decimal(300000),
            loan_amount=Decimal(225000),
            term_years=25,
            term_months=6,
            lender="Harbour Bank",
            application_date=date(2030, 1, 1),
            offer_date=date(2030, 2, 1),
            completion_date=date(2030, 3, 1),
        ),
    )
    assert details.ltv == Decimal("75.0")
    event = CaseEvent.objects.get(case=case, type=AdviceEventType.MORTGAGE_UPDATED)
    assert event.parameters["changes"]["loan_amount"] == [None, "225000"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"property_value": Decimal(0)}, "property_value"),
        ({"loan_amount": Decimal(-5)}, "loan_amount"),
        ({"term_years": 0}, "term_years"),
        ({"term_years": 41}, "term_years"),
        ({"term_years": 25, "term_months": 12}, "term_months"),
        (
            {"application_date": date(2030, 2, 1), "offer_date": date(2030, 1, 1)},
            "offer_date",
        ),
        (
            {"offer_date": date(2030, 2, 1), "completion_date": date(2030, 1, 1)},
            "completion_date",
        ),
        (
            {
                "application_date": date(2030, 2, 1),
                "completion_date": date(2030, 1, 1),
            },
            "completion_date",
        ),
    ],
)
def test_mortgage_update_refuses_invalid_values(firm, values, field):
    """Amounts <= 0, terms past 1-40 years or 0-11 months, unordered dates fail."""
    case = make_case(firm)
    with pytest.raises(ApplicationError) as info:
        advice_services.mortgage_update(
            firm=firm, actor=None, case=case, data=mortgage(**values)
        )
    assert info.value.field == field


def test_mortgage_update_refuses_protection_cases(firm):
    """Protection cases have no mortgage details."""
    case = make_case(firm, kind=AdviceKind.PROTECTION)
    with pytest.raises(ApplicationError, match="Only mortgage"):
        advice_services.mortgage_update(
            firm=firm, actor=None, case=case, data=mortgage()
        )


def test_case_create_refuses_a_negotiator_from_another_branch(firm):
    """A case's introducer chain goes through the one check in crm.firms."""
    negotiator = NegotiatorFactory(branch__introducer__firm=firm)
    other_branch = IntroducerBranchFactory(introducer__firm=firm)

    with pytest.raises(ApplicationError, match="negotiator does not work") as exc:
        make_case(
            firm,
            introducer=other_branch.introducer,
            introducer_branch=other_branch,
            negotiator=negotiator,
        )
    assert exc.value.field == "negotiator"


def test_a_move_reads_no_row_the_case_already_holds(
    firm, staff, django_assert_num_queries
):
    """Issue 21 item 4: a move validates what changed (the status and what
    closing sets), not the case's firm, owner, creator, lead, introducer chain
    and unique number again: ten statements with a lead, an introducer, a
    branch and a negotiator on the case, as without them."""
    branch = IntroducerBranchFactory(introducer__firm=firm)
    case = make_case(
        firm,
        kind=AdviceKind.MORTGAGE,
        status=S.NEW_LEAD,
        owner=staff.user,
        introducer=branch.introducer,
        introducer_branch=branch,
        negotiator=NegotiatorFactory(branch=branch),
    )
    with django_assert_num_queries(11):
        move(firm, case, S.CALL_BACK, actor=staff.user)
    with django_assert_num_queries(11):
        move(
            firm, case, S.NOT_PROCEEDING_WITH, reason="Went elsewhere", actor=staff.user
        )
    case.refresh_from_db()
    assert (case.status, case.is_open, case.close_reason) == (
        S.NOT_PROCEEDING_WITH,
        False,
        "Went elsewhere",
    )


def test_a_move_still_refuses_a_value_its_field_refuses(firm, staff):
    """What changed is still cleaned: a value its field refuses fails as a
    validation error, not in the database."""
    case = make_case(
        firm, kind=AdviceKind.MORTGAGE, status=S.NEW_LEAD, owner=staff.user
    )
    case.status_rank = -1  # a PositiveSmallIntegerField refuses it
    with pytest.raises(ValidationError) as caught:
        validation.clean_changed(case, fields=["status_rank"])
    assert "status_rank" in caught.value.message_dict
    validation.clean_changed(case, fields=["status"])  # the rest is not re-checked
