"""The case page's reads of the case: every joined row by an index (issue 21 item 4).

The case and its people are one statement, its details (mortgage, reviews,
D&N) another. The second joins the case's Remortgage review by
``MortgageDetails.review_of``, a column nearly always NULL. SQLite's
``ANALYZE`` counts those NULLs as one value shared by every row, and then
scanned the whole table for the join (15 ms of the page's queries at 150,000
mortgages) instead of using the unique index; the partial index
``mortgage_review_of_set`` is used.
"""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.advice.choices import AdviceKind
from crm.advice.models import MortgageDetails
from crm.advice.selectors.cases import ADVICE_DETAILS, advice_case_get
from crm.advice.tests.factories import complete_demands_needs
from crm.cases.models import Case
from crm.cases.selectors.case_read import case_get
from crm.cases.tests.factories import make_case
from crm.core import rawrows

pytestmark = pytest.mark.django_db


def test_the_case_page_query_scans_no_table_after_analyze(firm):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL keeps a NULL fraction")
    cases = [make_case(firm) for _ in range(30)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        advice_case_get(firm=firm, case_id=cases[0].pk)
    reads = [q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"]]
    assert len(reads) == 2
    for sql in reads:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[3] for row in cursor.fetchall()]
        assert not [step for step in plan if step.startswith("SCAN")], plan


def _details(case):
    """Return what the case page reads of ``case``'s details, as plain values."""
    mortgage = getattr(case, "mortgage", None)
    review = getattr(case, "remortgage_review", None)
    dn = getattr(case, "demands_needs", None)
    return {
        "mortgage": mortgage.pk if mortgage else None,
        "mortgage case": mortgage.case is case if mortgage else None,
        "review of": mortgage.review_of.pk if mortgage and mortgage.review_of else None,
        "review": review.case.pk if review else None,
        "review points back": review.review_of is case if review else None,
        "d&n": dn.pk if dn else None,
        "d&n case": dn.case is case if dn else None,
    }


def test_the_details_are_read_apart_and_attached_as_select_related_would(
    firm, django_assert_num_queries
):
    """Two statements, not one of eleven tables (issue 21 item 4), the same rows.

    PostgreSQL planned the eleven-table statement in 5-8 ms on the bench
    database; the case and its people, then its details, take about 1 ms each.
    """
    first, review = make_case(firm), make_case(firm)
    MortgageDetails.objects.filter(case=review).update(review_of=first)
    dn = complete_demands_needs(firm, first)
    with django_assert_num_queries(3):  # the case, its details, its clients
        got = advice_case_get(firm=firm, case_id=first.pk)
    with django_assert_num_queries(0):
        details = _details(got)
    assert details == {
        "mortgage": first.mortgage.pk,
        "mortgage case": True,
        "review of": None,
        "review": review.pk,
        "review points back": True,
        "d&n": dn.pk,
        "d&n case": True,
    }
    with django_assert_num_queries(3):
        got = advice_case_get(firm=firm, case_id=review.pk)
    with django_assert_num_queries(0):
        details = _details(got)
    assert details["review of"] == first.pk
    assert details["review"] is None
    assert details["d&n"] is None
    protection = make_case(firm, kind=AdviceKind.PROTECTION)
    got = advice_case_get(firm=firm, case_id=protection.pk)
    with django_assert_num_queries(0):
        assert _details(got)["mortgage"] is None


def test_a_case_get_select_names_details_only(firm):
    case = make_case(firm)
    with pytest.raises(TypeError, match="one-to-one details"):
        case_get(firm=firm, case_id=case.pk, select=(*ADVICE_DETAILS, "lead"))


def _fields(instance):
    return {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


def test_the_details_read_by_hand_equal_the_orms(firm):
    """Every column of every detail row, typed as ``select_related`` types it."""
    first, review = make_case(firm), make_case(firm)
    MortgageDetails.objects.filter(case=first).update(
        loan_amount=Decimal("240000.50"), offer_date=date(2026, 3, 1), lender="Leith BS"
    )
    MortgageDetails.objects.filter(case=review).update(review_of=first)
    complete_demands_needs(firm, first)
    for case in (first, review):
        got = advice_case_get(firm=firm, case_id=case.pk)
        want = (
            Case.objects.filter(firm=firm, pk=case.pk)
            .select_related(*ADVICE_DETAILS)
            .get()
        )
        for path in ADVICE_DETAILS:
            a: Any = got
            b: Any = want
            for step in path.split("__"):
                a, b = getattr(a, step, None), getattr(b, step, None)
                assert (a is None) == (b is None), path
                if a is None:
                    break
                assert _fields(a) == _fields(b), path
                assert {k: type(v) for k, v in _fields(a).items()} == {
                    k: type(v) for k, v in _fields(b).items()
                }, path


def test_only_one_to_ones_and_keys_are_read_by_hand(firm):
    case = make_case(firm)
    with pytest.raises(TypeError, match="only one-to-one and foreign keys"):
        rawrows.attach_related(case, ("applicants",))
