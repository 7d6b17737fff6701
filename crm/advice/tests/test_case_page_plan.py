"""The case page's one query reads every joined row by an index (issue 21 item 4).

It joins the case's Remortgage review by ``MortgageDetails.review_of``, a
column nearly always NULL. SQLite's ``ANALYZE`` counts those NULLs as one
value shared by every row, and then scanned the whole table for the join
(15 ms of the page's queries at 150,000 mortgages) instead of using the
unique index; the partial index ``mortgage_review_of_set`` is used.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.advice.selectors.cases import advice_case_get
from crm.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_case_page_query_scans_no_table_after_analyze(firm):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner; PostgreSQL keeps a NULL fraction")
    cases = [make_case(firm) for _ in range(30)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        advice_case_get(firm=firm, case_id=cases[0].pk)
    page_query = next(q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {page_query}")
        plan = [row[3] for row in cursor.fetchall()]
    assert not [step for step in plan if step.startswith("SCAN")], plan
