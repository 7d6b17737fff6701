"""The Support cases list's rows drawn in Python read as its templates draw them."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from crm.cases.models import Case, CaseApplicant
from crm.contacts.tests.factories import ContactFactory
from crm.core.tests.rows import both_ways
from crm.support.choices import ConcernLevel
from crm.support.models import SupportDetails
from crm.support.tests.factories import make_pathway, make_support_case
from crm.support.views.cases import CASE_LIST

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def test_rows_drawn_in_python_match_the_templates(
    sup_client, sup_owner, support_firm, monkeypatch
):
    """Every concern level and status, pathways, dates and clients draw alike."""
    pathway = make_pathway(support_firm, name=NASTY)
    levels = list(ConcernLevel.values)
    made = 0
    for i in range(10):
        case = make_support_case(
            support_firm,
            beneficiary=ContactFactory(firm=support_firm, first_name=NASTY),
            title=NASTY if i % 2 else "Housing support",
            start_date=date(2025, 1 + i, 1 + i) if i % 3 else None,
            pathway=pathway if i % 4 == 1 else None,
        )
        SupportDetails.objects.filter(case=case).update(
            concern_level=levels[i % len(levels)]
        )
        if i % 5 == 3:  # a case left without a beneficiary
            CaseApplicant.objects.filter(case=case).delete()
        created = datetime(2024, 1 + i, 28, 23, 30, tzinfo=UTC)
        updates = {"created_at": created, "owner": None if i == 7 else sup_owner.user}
        if i % 4 == 2:
            updates |= {"status": "closed", "is_open": False}
        Case.objects.filter(pk=case.pk).update(**updates)
        made += 1
    for sort in ("", "-concern", "start"):
        url = reverse("support:case_list") + f"?tab=all&sort={sort}"
        drawn, templated = both_ways(sup_client, url, monkeypatch)
        assert CASE_LIST.row_drawer is not None
        assert drawn == templated
        assert drawn[1].count("<tr>") == made + 1
        assert "badge--concern-urgent" in drawn[1]
        assert "No client" in drawn[1]
