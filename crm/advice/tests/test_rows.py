"""The Cases list's rows drawn in Python read as its templates draw them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.advice.views.cases import CASE_LIST
from crm.cases import kinds
from crm.cases.models import Case, CaseApplicant
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.tests.rows import both_ways
from crm.firms.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def _cases(firm, kind):
    """Make a case of ``kind`` at each of its statuses, with varied facts."""
    today = timezone.localdate()
    follow_ups = [None, today - timedelta(days=3), today, today + timedelta(days=9)]
    owners = [None, UserFactory(first_name=NASTY, last_name="")]
    statuses = list(kinds.get(kind).transitions)
    for i, status in enumerate(statuses):
        applicants = [ContactFactory(firm=firm, first_name=NASTY)]
        if i % 3 == 1:  # joint applicants
            applicants.append(ContactFactory(firm=firm))
        elif i % 3 == 2:
            applicants = [OrganisationFactory(firm=firm)]
        case = make_case(firm, kind=kind, applicants=applicants)
        if i % 5 == 4:  # a case left without a client
            CaseApplicant.objects.filter(case=case).delete()
        # Winter and summer times: the timestamp shows in London time.
        created = datetime(2024, 1 + i % 12, 1 + i, 23, 30, tzinfo=UTC)
        Case.objects.filter(pk=case.pk).update(
            status=status,
            owner=owners[i % 2],
            follow_up_date=follow_ups[i % 4],
            created_at=created,
        )
    return len(statuses)


@pytest.mark.parametrize("kind", [AdviceKind.MORTGAGE, AdviceKind.PROTECTION])
@pytest.mark.parametrize("sort", ["", "follow_up"])
def test_rows_drawn_in_python_match_the_templates(
    owner_client, firm, kind, sort, monkeypatch
):
    """Every status, client, owner and follow-up draws as the cell templates do."""
    rows = _cases(firm, kind)
    url = reverse("advice:case_list") + f"?tab=all&kind={kind}&sort={sort}"
    drawn, templated = both_ways(owner_client, url, monkeypatch)
    assert CASE_LIST.row_drawer is not None
    assert drawn == templated
    assert drawn[1].count("<tr>") == rows + 1
    assert "&lt;b&gt;O&#x27;Brien &amp; &quot;Sons&quot;&lt;/b&gt;" in drawn[1]
    assert "Overdue" in drawn[1]
    assert "Due today" in drawn[1]
    assert "No client" in drawn[1]
    assert " &amp; " in drawn[1]
