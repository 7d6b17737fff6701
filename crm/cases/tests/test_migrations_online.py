"""Batched backfill of a new case column (crm.core.migration_ops.backfill)."""

from typing import Any

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from crm.cases.models import Case, CaseApplicant
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.migration_ops import backfill
from crm.firms.tests.factories import FirmFactory

pytestmark = pytest.mark.django_db


class _Editor:
    """The two things ``backfill`` uses of a schema editor."""

    connection = connection

    def execute(self, sql: str, params: Any = ()) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_backfill_fills_every_batch_of_ids() -> None:
    """Cases 0010's fill, in batches of one id: every case gets its main
    applicant's sort name, whatever batch its id falls in."""
    firm = FirmFactory()
    names = ["Adams", "Brown", "Clark"]
    cases = [
        make_case(firm, applicants=[ContactFactory(firm=firm, last_name=n)])
        for n in names
    ]
    with scopes_disabled():
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(client_sort_name="")
        q = connection.ops.quote_name
        backfill(
            _Editor(),
            q("cases_case"),
            "client_sort_name = COALESCE((SELECT ct.sort_name FROM "  # noqa: S608
            f"{q('cases_caseapplicant')} a JOIN {q('contacts_contact')} ct "
            "ON ct.id = a.contact_id WHERE a.case_id = cases_case.id "
            "AND a.position = 1), '')",
            batch=1,
        )
        filled = dict(
            Case.objects.filter(pk__in=[c.pk for c in cases]).values_list(
                "pk", "client_sort_name"
            )
        )
        expected = dict(
            CaseApplicant.objects.filter(case__in=cases, position=1).values_list(
                "case_id", "contact__sort_name"
            )
        )
    assert filled == expected
    assert all(filled.values())
