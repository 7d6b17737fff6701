"""View own cases only on case pages and downloads; remortgage dates at the edges."""

import datetime

import pytest

from crm.advice.choices import AdviceStatus
from crm.advice.services.remortgage import months_before
from crm.cases import services
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.firms.choices import Perm
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_cases_only(firm):
    """A member who may view only the cases they own."""
    member = MembershipFactory(firm=firm, role="adviser")
    member.revoked = [Perm.VIEW_ALL_CASES]
    member.granted = [Perm.VIEW_OWN_CASES]
    member.save()
    return member


def test_view_own_cases_only_hides_other_advisers_cases(own_cases_only, firm, login):
    """Another adviser's case is 404 and absent from the list and search."""
    mine = make_case(firm, owner=own_cases_only.user)
    theirs = make_case(firm)
    client = login(own_cases_only)
    assert client.get(f"/cases/{mine.pk}/").status_code == 200
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    assert (
        client.post(f"/cases/{theirs.pk}/move/", {"status": "call_back"}).status_code
        == 404
    )
    body = client.get("/cases/").content.decode()
    assert mine.reference in body
    assert theirs.reference not in body


def test_document_download_follows_case_visibility(own_cases_only, firm, login):
    """A case's document downloads only for members who may see the case."""
    mine = DocumentFactory(case=make_case(firm, owner=own_cases_only.user))
    theirs = DocumentFactory(case=make_case(firm))
    client = login(own_cases_only)
    assert client.get(f"/documents/{mine.pk}/download/").status_code == 200
    assert client.get(f"/documents/{theirs.pk}/download/").status_code == 404


def test_months_before_year_one_gives_no_date():
    """A mistyped product end date in year 1 never raises."""
    assert months_before(datetime.date(1, 3, 1), 6) is None
    assert months_before(datetime.date(2030, 8, 31), 6) == datetime.date(2030, 2, 28)


def test_completing_with_an_ancient_end_date_still_completes(firm):
    """Completion is saved even when the remortgage date can't be computed."""
    case = make_case(firm, status=AdviceStatus.CONTRACTS_EXCHANGED)
    case.mortgage.product_end_date = datetime.date(1, 3, 1)
    case.mortgage.save()
    services.case_move(firm=firm, actor=None, case=case, status=AdviceStatus.COMPLETED)
    case.refresh_from_db()
    assert case.status == AdviceStatus.COMPLETED
