"""The Fact Find's row sections through the API: addresses, commitments and
existing policies added, changed and removed with the case page's form checks
and services (F1, K1)."""

from datetime import date

import pytest

from crm.advice.factfind.models import FactFindAddress, FactFindCommitment
from crm.advice.tests.factories import make_fact_find_row
from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.models import AuditEvent
from crm.core.permissions import Perm
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
ADDRESS = {
    "line1": "4 Quay Street",
    "town": "Leith",
    "postcode": "EH6 6AA",
    "moved_in": "2019-03-01",
}


def _client_url(case) -> str:
    contact = case.applicants.get().contact
    return f"/api/v1/cases/{case.pk}/fact-finds/{contact.pk}"


def _address(firm, case):
    return make_fact_find_row(firm, "addresses", case, moved_in=date(2019, 3, 1))


def test_k1_a_row_is_added_changed_and_removed_with_history(
    api, firm, django_assert_num_queries
):
    """K1 F1: 201 with the row, 200 with its change, 204; each is on the history."""
    case = make_case(firm)
    url = f"{_client_url(case)}/addresses"
    with django_assert_num_queries(15):
        added = api.post(url, ADDRESS, content_type=JSON)
    assert added.status_code == 201, added.content
    row = added.json()
    assert (row["line1"], row["moved_out"]) == ("4 Quay Street", None)
    with django_assert_num_queries(13):
        changed = api.put(
            f"{url}/{row['id']}",
            {**ADDRESS, "moved_out": "2024-05-31"},
            content_type=JSON,
        )
    assert changed.status_code == 200, changed.content
    assert changed.json() == {**row, "moved_out": "2024-05-31"}
    listed = api.get(f"/api/v1/cases/{case.pk}/fact-finds").json()
    assert listed[0]["rows"]["addresses"][0]["moved_out"] == "2024-05-31"
    with django_assert_num_queries(11):
        removed = api.delete(f"{url}/{row['id']}")
    assert removed.status_code == 204
    assert FactFindAddress.objects.filter(firm=firm).exists() is False
    types = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert {"fact_find_row_added", "fact_find_row_updated"} <= set(types)
    assert "fact_find_row_removed" in types
    audit = AuditEvent.objects.get(verb="update", object_id=str(row["id"]))
    assert audit.changes == {"moved_out": [None, "2024-05-31"]}


def test_k1_an_unchanged_row_records_nothing(api, firm):
    """F1: sending a row's own values back changes nothing and adds no history."""
    case = make_case(firm)
    row = _address(firm, case)
    before = CaseEvent.objects.filter(case=case).count()
    response = api.put(
        f"{_client_url(case)}/addresses/{row.pk}", ADDRESS, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert CaseEvent.objects.filter(case=case).count() == before


def test_k1_commitments_and_existing_policies_are_rows_too(api, firm):
    """F1: each row section has its own typed operations."""
    case = make_case(firm)
    url = _client_url(case)
    loan = api.post(
        f"{url}/commitments",
        {"kind": "loan", "monthly_payment": "180.50", "balance": 4000},
        content_type=JSON,
    )
    assert loan.status_code == 201, loan.content
    assert (loan.json()["monthly_payment"], loan.json()["balance"]) == (
        "180.50",
        "4000.00",
    )
    policy = api.post(
        f"{url}/policies", {"provider": "Aviva", "kind": "life"}, content_type=JSON
    )
    assert policy.status_code == 201, policy.content
    moved = api.put(
        f"{url}/policies/{policy.json()['id']}",
        {"provider": "Aviva", "kind": "life", "monthly_premium": "22"},
        content_type=JSON,
    )
    assert moved.json()["monthly_premium"] == "22.00"
    gone = api.delete(f"{url}/commitments/{loan.json()['id']}")
    assert gone.status_code == 204
    assert FactFindCommitment.objects.filter(firm=firm).exists() is False


def test_k1_k2_a_bad_row_names_every_field_the_page_refuses(api, firm):
    """K2: 400 naming each field the form refuses; 422 for a shape the schema does."""
    case = make_case(firm)
    url = f"{_client_url(case)}/addresses"
    refused = api.post(
        url,
        {**ADDRESS, "line1": "   ", "moved_out": "2018-01-01"},
        content_type=JSON,
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid"
    assert set(refused.json()["fields"]) == {"body.line1", "body.moved_out"}
    assert refused.json()["fields"]["body.moved_out"] == [
        "Enter a date after the move-in date."
    ]
    malformed = api.post(url, {**ADDRESS, "moved_in": "soon"}, content_type=JSON)
    assert malformed.status_code == 422
    assert FactFindAddress.objects.filter(firm=firm).exists() is False


def test_k2_another_clients_or_firms_rows_are_404(api, firm, other_firm):
    """K2: a row of another client, a client not on the case, another firm's ids."""
    case, other_case = make_case(firm), make_case(firm)
    theirs = _address(firm, other_case)
    url = f"{_client_url(case)}/addresses/{theirs.pk}"
    assert api.put(url, ADDRESS, content_type=JSON).status_code == 404
    assert api.delete(url).status_code == 404
    stranger = ContactFactory(firm=firm)
    off_case = f"/api/v1/cases/{case.pk}/fact-finds/{stranger.pk}/addresses"
    assert api.post(off_case, ADDRESS, content_type=JSON).status_code == 404
    foreign_case = make_case(other_firm)
    foreign = _address(other_firm, foreign_case)
    for path in (
        f"{_client_url(foreign_case)}/addresses",
        f"{_client_url(case)}/addresses/{foreign.pk}",
    ):
        assert api.post(path, ADDRESS, content_type=JSON).status_code == 404
        assert api.delete(path).status_code == 404
        # A bad body does not tell another firm's id from a missing one.
        assert api.put(path, {"line1": 5}, content_type=JSON).status_code == 404
    assert FactFindAddress.objects.filter(firm=other_firm).count() == 1


def test_k1_a_read_only_token_may_not_change_rows(firm, owner):
    """K1: a read scope token is refused (403) and nothing is written."""
    client = api_client(make_token(owner, scope=TokenScope.READ)[1])
    case = make_case(firm)
    row = _address(firm, case)
    url = f"{_client_url(case)}/addresses"
    assert client.post(url, ADDRESS, content_type=JSON).status_code == 403
    assert client.delete(f"{url}/{row.pk}").status_code == 403
    assert FactFindAddress.objects.filter(firm=firm).count() == 1


def test_a4_k1_a_member_limited_to_own_cases_cannot_reach_a_colleagues(firm):
    """A4: "View own cases only" follows the token: a colleague's case is 404."""
    colleague = MembershipFactory(firm=firm, role=Role.OWNER)
    limited = MembershipFactory(
        firm=firm,
        role=Role.MANAGER,
        granted=[p for p in Perm.values if p != Perm.VIEW_ALL_CASES],
        revoked=[Perm.VIEW_ALL_CASES],
    )
    client = api_client(make_token(limited)[1])
    theirs = make_case(firm, owner=colleague.user)
    row = _address(firm, theirs)
    url = f"{_client_url(theirs)}/addresses"
    assert client.post(url, ADDRESS, content_type=JSON).status_code == 404
    assert client.delete(f"{url}/{row.pk}").status_code == 404
    mine = make_case(firm, owner=limited.user)
    added = client.post(f"{_client_url(mine)}/addresses", ADDRESS, content_type=JSON)
    assert added.status_code == 201, added.content
