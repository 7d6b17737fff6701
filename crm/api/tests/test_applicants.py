"""A case's joint applicant is added and removed through the API with the
kernel's services, so the page's rules hold (SPEC D1, K1, K2)."""

import pytest

from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_joint_applicant_is_added_and_removed(api, firm, django_assert_num_queries):
    """POST adds the joint applicant (201, the applicants); DELETE removes (204)."""
    case = make_case(firm)
    joint = ContactFactory(firm=firm)
    url = f"/api/v1/cases/{case.pk}/applicants"
    with django_assert_num_queries(23):
        added = api.post(url, {"contact_id": joint.pk}, content_type=JSON)
    assert added.status_code == 201, added.content
    assert [a["position"] for a in added.json()] == [1, 2]
    assert added.json()[1]["contact_id"] == joint.pk
    assert api.get(f"/api/v1/cases/{case.pk}").json()["is_joint"] is True
    with django_assert_num_queries(15):
        removed = api.delete(f"{url}/{joint.pk}")
    assert removed.status_code == 204
    assert [a["contact_id"] for a in api.get(url).json()] == [
        case.applicants.get().contact_id
    ]
    types = list(
        CaseEvent.objects.filter(case=case)
        .order_by("id")
        .values_list("type", flat=True)
    )
    assert types[-2:] == ["applicant_added", "applicant_removed"]


def test_the_rules_answer_with_stable_codes(api, firm):
    """Same client 400; a third client or the main applicant 409."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    url = f"/api/v1/cases/{case.pk}/applicants"
    again = api.post(url, {"contact_id": joint.pk}, content_type=JSON)
    assert (again.status_code, again.json()["code"]) == (400, "same_applicant")
    assert again.json()["fields"] == {"body.contact_id": [again.json()["message"]]}
    third = api.post(
        url, {"contact_id": ContactFactory(firm=firm).pk}, content_type=JSON
    )
    assert (third.status_code, third.json()["code"]) == (409, "applicant_limit")
    first = api.delete(f"{url}/{main.pk}")
    assert (first.status_code, first.json()["code"]) == (409, "main_applicant")
    stranger = api.delete(f"{url}/{ContactFactory(firm=firm).pk}")
    assert (stranger.status_code, stranger.json()["code"]) == (404, "not_found")


def test_a_support_cases_beneficiary_is_fixed(support_firm):
    """Adding beside a support case's beneficiary is 409 applicants_fixed."""
    from crm.firms.choices import Role
    from crm.firms.tests.factories import MembershipFactory

    client = api_client(
        make_token(MembershipFactory(firm=support_firm, role=Role.OWNER))[1]
    )
    case = make_support_case(support_firm)
    response = client.post(
        f"/api/v1/cases/{case.pk}/applicants",
        {"contact_id": ContactFactory(firm=support_firm).pk},
        content_type=JSON,
    )
    assert (response.status_code, response.json()["code"]) == (409, "applicants_fixed")


def test_a_read_only_token_cannot_change_applicants(firm, owner):
    """A read token lists applicants but may not add or remove one (403)."""
    client = api_client(make_token(owner, scope=TokenScope.READ)[1])
    case = make_case(firm)
    url = f"/api/v1/cases/{case.pk}/applicants"
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {"contact_id": ContactFactory(firm=firm).pk}, content_type=JSON
    )
    assert refused.status_code == 403


def test_another_firms_case_or_client_is_404(api, firm, other_firm):
    """Another firm's case, or another firm's client in the body, is 404."""
    mine, theirs = make_case(firm), make_case(other_firm)
    stranger = ContactFactory(firm=other_firm)
    for case, contact in ((theirs, ContactFactory(firm=firm)), (mine, stranger)):
        response = api.post(
            f"/api/v1/cases/{case.pk}/applicants",
            {"contact_id": contact.pk},
            content_type=JSON,
        )
        assert response.status_code == 404
    gone = api.delete(f"/api/v1/cases/{mine.pk}/applicants/{stranger.pk}")
    assert gone.status_code == 404
