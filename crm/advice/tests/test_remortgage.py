"""Completing a mortgage: one Remortgage case, linked both ways (SPEC D3)."""

from datetime import date
from decimal import Decimal

import pytest

from crm.advice.choices import (
    MORTGAGE_MOVES,
    PROTECTION_MOVES,
    TRANSITIONS,
    AdviceEventType,
    AdviceKind,
    AdviceStatus,
)
from crm.advice.models import MortgageDetails
from crm.advice.services.remortgage import completion_plan, existing_review
from crm.cases import services
from crm.cases.models import Case, CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

S = AdviceStatus


def complete(firm, case, actor=None):
    return services.case_move(firm=firm, actor=actor, case=case, status=S.COMPLETED)


def _reachable(moves, start):
    seen, todo = {start}, [start]
    while todo:
        for target in moves.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize(
    ("moves", "starts"),
    [
        (MORTGAGE_MOVES, (S.NEW_LEAD, S.REMORTGAGE, S.CALL_BACK, S.MEETING)),
        (PROTECTION_MOVES, (S.NEW_LEAD, S.CALL_BACK, S.MEETING)),
    ],
)
def test_every_stage_is_reachable_from_every_start(moves, starts):
    """The table is not any-to-any, yet every stage can be reached from a start."""
    for start in starts:
        assert _reachable(moves, start) >= set(moves) - {S.REMORTGAGE, S.NEW_LEAD}


def test_table_is_not_any_to_any():
    """No open stage may jump to every other stage of its kind."""
    for table in TRANSITIONS.values():
        for status, targets in table.items():
            assert len(targets) < len(table) - 2, status


def test_completing_twice_opens_one_remortgage_case(firm, staff):
    """Reopening a completed case and completing it again opens no second review."""
    case = make_case(firm, status=S.CONTRACTS_EXCHANGED, owner=staff.user)
    complete(firm, case, staff.user)
    first = existing_review(firm=firm, case=case)
    assert first is not None
    services.case_reopen(
        firm=firm,
        actor=staff.user,
        case=case,
        reason="Completion fell through",
        status=S.CONTRACTS_EXCHANGED,
    )
    complete(firm, case, staff.user)
    assert Case.objects.filter(firm=firm, status=S.REMORTGAGE).count() == 1
    assert existing_review(firm=firm, case=case) == first
    opened = CaseEvent.objects.filter(case=case, type=AdviceEventType.REMORTGAGE_OPENED)
    assert opened.count() == 1
    assert opened.get().parameters["reference"] == first.reference


def test_remortgage_case_carries_the_property_and_links_back(firm):
    """The review case carries value, lender, product and end date; links both ways."""
    case = make_case(firm, status=S.POST_OFFER_PROCESSING)
    MortgageDetails.objects.filter(case=case).update(
        property_value=Decimal(300000),
        lender="Halifax",
        product="5 year fixed",
        product_end_date=date(2031, 3, 31),
        loan_amount=Decimal(240000),
    )
    complete(firm, case)
    review = existing_review(firm=firm, case=case)
    details = MortgageDetails.objects.get(case=review)
    assert details.review_of == case
    assert MortgageDetails.objects.get(case=case).case.remortgage_review == details
    assert (details.property_value, details.lender, details.product) == (
        Decimal(300000),
        "Halifax",
        "5 year fixed",
    )
    assert details.product_end_date == date(2031, 3, 31)
    assert details.purpose == "remortgage"
    assert details.loan_amount is None


def test_review_offset_is_the_firms_setting(firm):
    """A firm that reviews three months ahead gets its follow-up three months before."""
    firm.remortgage_review_months = 3
    firm.save(update_fields=["remortgage_review_months"])
    case = make_case(firm, status=S.CONTRACTS_EXCHANGED)
    MortgageDetails.objects.filter(case=case).update(product_end_date=date(2031, 8, 31))
    plan = completion_plan(firm=firm, case=case)
    assert plan.follow_up_date == date(2031, 5, 31)
    assert plan.opens_review is True
    complete(firm, case)
    review = existing_review(firm=firm, case=case)
    assert review is not None
    assert review.follow_up_date == date(2031, 5, 31)
    assert completion_plan(firm=firm, case=case).opens_review is False


def test_case_pages_link_the_completed_case_and_its_review(owner_client, firm):
    """Both case pages show the other: Remortgage case, and Follows."""
    contact = ContactFactory(firm=firm)
    case = make_case(firm, status=S.CONTRACTS_EXCHANGED, applicants=[contact])
    complete(firm, case)
    review = existing_review(firm=firm, case=case)
    assert review is not None
    body = owner_client.get(case.get_absolute_url()).content.decode()
    assert f'href="{review.get_absolute_url()}"' in body
    assert f"Remortgage case {review.reference} opened" in body
    body = owner_client.get(review.get_absolute_url()).content.decode()
    assert "Remortgage review of" in body
    assert f'href="{case.get_absolute_url()}"' in body


def test_completed_confirmation_says_what_will_happen(owner_client, firm, owner):
    """Completed asks first, naming both dates and the Remortgage case to open."""
    contact = ContactFactory(firm=firm, first_name="Ada", last_name="Byron")
    case = make_case(
        firm, status=S.CONTRACTS_EXCHANGED, applicants=[contact], owner=owner.user
    )
    MortgageDetails.objects.filter(case=case).update(
        completion_date=date(2026, 4, 1), product_end_date=date(2031, 4, 30)
    )
    move_url = f"/cases/{case.pk}/move/"
    body = owner_client.post(move_url, {"status": "completed"}).content.decode()
    assert "1 Apr 2026" in body
    assert "30 Apr 2031" in body
    assert "A new Remortgage case opens for" in body
    assert "30 Oct 2030" in body
    assert not Case.objects.filter(status=S.REMORTGAGE).exists()
    response = owner_client.post(move_url, {"status": "completed", "confirm": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.COMPLETED
    assert existing_review(firm=firm, case=case) is not None


def test_protection_kinds_have_no_remortgage(firm):
    """On Risk closes a protection case and opens nothing else."""
    case = make_case(firm, kind=AdviceKind.PROTECTION, status=S.DECISION_RECEIVED)
    services.case_move(firm=firm, actor=None, case=case, status=S.ON_RISK)
    assert Case.objects.filter(firm=firm).count() == 1
