"""Quotes through the API: run, select into a policy, and the top-up guard
as a 409 with a stable code, through the quote page's services (G2, G3, K1)."""

import pytest

from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.protection.models import Policy
from crm.protection.tests.factories import make_policy, protection_case

pytestmark = pytest.mark.django_db
JSON = "application/json"
COVER = {
    "benefit_type": "life",
    "amount": "240000",
    "term_years": 25,
    "cover_basis": "level",
}


def test_a_quote_is_run_and_selected_into_a_policy(
    api, firm, django_assert_num_queries
):
    """Quotes come cheapest first; Select saves the chosen one as Quoted."""
    case = protection_case(firm)
    url = f"/api/v1/cases/{case.pk}/quotes"
    with django_assert_num_queries(5):
        run = api.post(url, COVER, content_type=JSON)
    assert run.status_code == 200, run.content
    body = run.json()
    assert (body["ready"], body["missing"]) == (True, [])
    premiums = [float(q["premium"]) for q in body["quotes"]]
    assert len(premiums) >= 3
    assert premiums == sorted(premiums)
    chosen = body["quotes"][0]
    saved = api.post(
        f"{url}/select", {**COVER, "quote": chosen["reference"]}, content_type=JSON
    )
    assert saved.status_code == 201, saved.content
    assert (saved.json()["provider"], saved.json()["status"]) == (
        chosen["provider"],
        "quoted",
    )
    assert saved.json()["quote_reference"] == chosen["reference"]


def test_a_case_without_the_facts_says_what_is_missing(api, firm):
    """An incomplete Fact Find prices nothing; Select is 409 not_ready."""
    case = protection_case(firm, complete=False)
    url = f"/api/v1/cases/{case.pk}/quotes"
    run = api.post(url, {}, content_type=JSON).json()
    assert run["ready"] is False
    assert "Date of birth" in [m["label"] for m in run["missing"]]
    refused = api.post(f"{url}/select", {"quote": "rates:x"}, content_type=JSON)
    assert (refused.status_code, refused.json()["code"]) == (409, "not_ready")


def test_the_top_up_guard_is_409_and_a_top_up_case_opens(api, firm):
    """G3: a case with an on-risk policy refuses the quote (409 top_up); the
    top-up operation opens a new case for the same clients."""
    case = protection_case(firm)
    make_policy(case, status="on_risk")
    url = f"/api/v1/cases/{case.pk}/quotes"
    reference = api.post(url, COVER, content_type=JSON).json()["quotes"][0]
    refused = api.post(
        f"{url}/select", {**COVER, "quote": reference["reference"]}, content_type=JSON
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "top_up"
    assert "create a new case instead" in refused.json()["message"]
    assert Policy.objects.filter(case=case).count() == 1
    opened = api.post(f"/api/v1/cases/{case.pk}/top-up")
    assert opened.status_code == 201, opened.content
    new = opened.json()
    assert new["kind"] == "protection"
    assert [a["contact_id"] for a in new["applicants"]] == list(
        case.applicants.values_list("contact_id", flat=True)
    )


def test_a_cover_the_form_refuses_is_400_with_its_field(api, firm):
    """The quote page's form checks the cover: an amount too small is named."""
    case = protection_case(firm)
    response = api.post(
        f"/api/v1/cases/{case.pk}/quotes", {**COVER, "amount": 5}, content_type=JSON
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body.amount"]


def test_a_read_only_token_runs_quotes_but_does_not_select(firm, owner):
    """Running changes nothing (read scope); selecting needs read-write."""
    client = api_client(make_token(owner, scope=TokenScope.READ)[1])
    case = protection_case(firm)
    url = f"/api/v1/cases/{case.pk}/quotes"
    assert client.post(url, COVER, content_type=JSON).status_code == 200
    selected = client.post(f"{url}/select", {**COVER, "quote": "x"}, content_type=JSON)
    assert selected.status_code == 403
    assert client.post(f"/api/v1/cases/{case.pk}/top-up").status_code == 403
