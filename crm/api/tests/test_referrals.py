"""Referrals in (accept, decline) and out through the API, with the
Referrals queue's and the consent form's services (I11, I12, K1)."""

import pytest
from django.utils import timezone

from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.support.choices import ReferralStatus
from crm.support.models import Referral
from crm.support.tests.factories import (
    make_link,
    make_referral,
    make_support_case,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def owner_member(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def charity(owner_member):
    return api_client(make_token(owner_member)[1])


def test_the_queue_lists_by_tab_in_constant_queries(
    charity, support_firm, other_firm, django_assert_num_queries
):
    """New referrals of the firm only, three of them in one page."""
    mine = [make_referral(support_firm).pk for _ in range(3)]
    make_referral(other_firm)
    with django_assert_num_queries(3):
        body = charity.get("/api/v1/referrals").json()
    assert [r["id"] for r in body["items"]] == mine
    assert charity.get("/api/v1/referrals", {"tab": "declined"}).json()["items"] == []


def test_a_referral_is_accepted_into_a_support_case(
    charity, support_firm, owner_member
):
    """Accept opens a support case for the referred person; twice is 409."""
    referral = make_referral(support_firm)
    url = f"/api/v1/referrals/{referral.pk}/accept"
    body = {"case_manager_id": owner_member.user_id, "create_new": True}
    accepted = charity.post(url, body, content_type=JSON)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["kind"] == "support"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.case_id == accepted.json()["id"]
    again = charity.post(url, body, content_type=JSON)
    assert (again.status_code, again.json()["code"]) == (409, "decided")


def test_a_referral_is_declined_with_a_reason(charity, support_firm):
    """Decline needs a reason; the referral shows it."""
    referral = make_referral(support_firm)
    url = f"/api/v1/referrals/{referral.pk}/decline"
    blank = charity.post(url, {"reason": "  "}, content_type=JSON)
    assert blank.status_code == 400
    declined = charity.post(url, {"reason": "Outside our area"}, content_type=JSON)
    assert declined.status_code == 200, declined.content
    assert declined.json()["decline_reason"] == "Outside our area"
    assert declined.json()["status"] == "declined"


def test_a_bad_case_manager_is_named(charity, support_firm):
    """A case manager who is not a member is 400 on that field."""
    referral = make_referral(support_firm)
    response = charity.post(
        f"/api/v1/referrals/{referral.pk}/accept",
        {"case_manager_id": 999999, "create_new": True},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body.case_manager_id"]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NEW


def test_a_beneficiary_is_referred_out_with_consent(
    charity, support_firm, owner_member
):
    """The consent form's checks hold; the case lists the referral."""
    case = make_support_case(support_firm)
    link = make_link(case)
    link.contact.email = "gp@example.org"
    link.contact.save()
    body = {
        "shared_name": "Ada L.",
        "shared_need": "Help with housing",
        "consent_purpose": "So the GP can help",
        "consent_date": timezone.localdate().isoformat(),
        "consent_taken_by_id": owner_member.user_id,
        "consent_method": "verbal",
    }
    url = f"/api/v1/external-services/{link.pk}/referrals"
    sent = charity.post(url, body, content_type=JSON)
    assert sent.status_code == 201, sent.content
    assert sent.json()["status"] == "sent"
    twice = charity.post(url, body, content_type=JSON)
    assert (twice.status_code, twice.json()["code"]) == (409, "duplicate")
    listed = charity.get(f"/api/v1/cases/{case.pk}/referrals-out").json()
    assert [r["id"] for r in listed] == [sent.json()["id"]]
    bad = charity.post(url, {**body, "consent_method": "telepathy"}, content_type=JSON)
    assert bad.status_code == 422
    assert list(bad.json()["fields"]) == ["body.consent_method"]


def test_a_read_token_reads_the_queue_but_does_not_decide(support_firm, owner_member):
    """Read scope lists referrals; accepting is 403."""
    reader = api_client(make_token(owner_member, scope=TokenScope.READ)[1])
    referral = make_referral(support_firm)
    assert reader.get(f"/api/v1/referrals/{referral.pk}").status_code == 200
    refused = reader.post(
        f"/api/v1/referrals/{referral.pk}/decline", {"reason": "x"}, content_type=JSON
    )
    assert refused.status_code == 403


def test_another_firms_referral_is_404(charity, other_firm):
    """Another firm's referral is not found, to read or to decide."""
    theirs = make_referral(other_firm)
    assert charity.get(f"/api/v1/referrals/{theirs.pk}").status_code == 404
    response = charity.post(
        f"/api/v1/referrals/{theirs.pk}/decline", {"reason": "x"}, content_type=JSON
    )
    assert response.status_code == 404
