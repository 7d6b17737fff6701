"""Writes of policies and of support cases and their parts through the API
go through the page services, so the pages' rules hold (K1, G1, G4, I1-I6)."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.cases.models import Case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.contacts.tests.factories import ContactFactory
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.tests.factories import MembershipFactory
from crm.protection.models import Policy
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.models import OpenPeriod
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_plan,
    make_support_case,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def charity_owner(support_firm: Firm) -> Membership:
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def charity(charity_owner: Membership) -> Client:
    """A read-write token of an owner of a charity (the Support module)."""
    return api_client(make_token(charity_owner)[1])


def _send(client: Client, method: str, url: str, data: object = None) -> Any:
    call = getattr(client, method)
    return call(url, data, content_type=JSON) if data is not None else call(url)


# Policies ----------------------------------------------------------------


def test_a_policy_is_added_changed_and_removed(api, firm, owner):
    """SPEC G1 K1: policy create, change (only what is sent) and remove."""
    case = protection_case(firm, complete=False)
    created = api.post(
        f"/api/v1/cases/{case.pk}/policies",
        {"provider": "Aviva", "benefit_type": "life", "benefit_amount": "250000"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    policy = created.json()
    assert policy["status"] == "quoted"
    assert policy["premium_frequency"] == "monthly"
    changed = api.patch(
        f"/api/v1/policies/{policy['id']}", {"premium": "31.50"}, content_type=JSON
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["provider"] == "Aviva"
    assert changed.json()["premium"] == "31.50"
    history = api.get(f"/api/v1/cases/{case.pk}/history").json()["items"]
    assert [h["type"] for h in history][-2:] == ["policy_added", "policy_updated"]
    assert AuditEvent.objects.filter(firm=firm, actor=owner.user).exists()
    removed = api.delete(f"/api/v1/policies/{policy['id']}")
    assert removed.status_code == 204
    assert not Policy.objects.filter(pk=policy["id"]).exists()


def test_a_policy_field_out_of_range_is_named(api, firm):
    """SPEC K2: a term of 0 years is refused with the field named."""
    case = protection_case(firm, complete=False)
    response = api.post(
        f"/api/v1/cases/{case.pk}/policies", {"term_years": 0}, content_type=JSON
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["body.term_years"]


def test_after_concert_hub_received_the_case_only_status_changes(api, firm):
    """SPEC G4: received data is locked through the API too."""
    case = protection_case(firm, complete=False)
    policy = make_policy(case, status="submitted")
    Submission.objects.create(
        firm=firm,
        case=case,
        number=1,
        status=SubmissionStatus.RECEIVED,
        is_latest=True,
        idempotency_key=f"test-{case.pk}-1",
    )
    url = f"/api/v1/policies/{policy.pk}"
    refused = api.patch(url, {"premium": "99.00"}, content_type=JSON)
    assert refused.status_code == 409
    assert refused.json()["code"] == "locked"
    added = api.post(f"/api/v1/cases/{case.pk}/policies", {}, content_type=JSON)
    assert added.status_code == 409
    on_risk = api.patch(url, {"status": "on_risk"}, content_type=JSON)
    assert on_risk.status_code == 200, on_risk.content
    assert on_risk.json()["status"] == "on_risk"


def test_a_submitted_policy_is_not_removed(api, firm):
    """SPEC G1: a submitted or on-risk policy is marked Not Taken Up instead."""
    policy = make_policy(protection_case(firm, complete=False), status="on_risk")
    response = api.delete(f"/api/v1/policies/{policy.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "active_policy"


def test_policies_are_for_protection_cases_and_writers(api, firm, owner):
    """SPEC K1: a mortgage case has no policies (404); a read token may not add."""
    from crm.cases.tests.factories import make_case

    mortgage = make_case(firm)
    assert (
        api.post(
            f"/api/v1/cases/{mortgage.pk}/policies", {}, content_type=JSON
        ).status_code
        == 404
    )
    reader = api_client(make_token(owner, scope=TokenScope.READ)[1])
    case = protection_case(firm, complete=False)
    refused = reader.post(f"/api/v1/cases/{case.pk}/policies", {}, content_type=JSON)
    assert refused.status_code == 403
    policy = make_policy(case)
    assert reader.delete(f"/api/v1/policies/{policy.pk}").status_code == 403


# Support cases ------------------------------------------------------------


def test_a_support_case_is_opened_and_its_beneficiary_is_fixed(
    charity, support_firm, charity_owner
):
    """SPEC I1 I2 K1: open a support case; the beneficiary cannot change."""
    beneficiary = ContactFactory(firm=support_firm)
    created = charity.post(
        "/api/v1/cases/support",
        {
            "title": "Housing",
            "beneficiary_id": beneficiary.pk,
            "case_manager_id": charity_owner.user_id,
            "concern_level": "high",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["kind"] == "support"
    stored = Case.objects.filter(pk=case["id"]).values_list("client_sort_name")
    assert stored.get() == (beneficiary.sort_name,)  # the client sort (issue 21)
    assert case["reference"].startswith("SUP-")
    url = f"/api/v1/cases/{case['id']}/details"
    details = charity.get(url).json()
    assert details["beneficiary_id"] == beneficiary.pk
    assert details["concern_level"] == "high"
    other = ContactFactory(firm=support_firm)
    refused = charity.patch(url, {"beneficiary_id": other.pk}, content_type=JSON)
    assert refused.status_code == 400
    assert refused.json()["code"] == "beneficiary_fixed"
    assert refused.json()["fields"] == {
        "body.beneficiary_id": [refused.json()["message"]]
    }
    changed = charity.patch(
        url,
        {"beneficiary_id": beneficiary.pk, "duration": "fixed"},
        content_type=JSON,
    )
    assert changed.status_code == 400
    assert list(changed.json()["fields"]) == ["body.expected_end_date"]
    end = (timezone.localdate() + timedelta(days=90)).isoformat()
    changed = charity.patch(
        url, {"duration": "fixed", "expected_end_date": end}, content_type=JSON
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["expected_end_date"] == end
    assert changed.json()["beneficiary_id"] == beneficiary.pk


def test_a_support_case_needs_a_manager_of_this_firm(charity, support_firm, firm):
    """SPEC I1 K2: another firm's member as manager is a named field error."""
    stranger = MembershipFactory(firm=firm)
    response = charity.post(
        "/api/v1/cases/support",
        {
            "title": "Debt",
            "beneficiary_id": ContactFactory(firm=support_firm).pk,
            "case_manager_id": stranger.user_id,
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["body.case_manager_id"]


def test_needs_and_outcomes_are_added_achieved_and_removed(charity, support_firm):
    """SPEC I4 K1: needs and outcomes through the item services."""
    case = make_support_case(support_firm)
    need = charity.post(
        f"/api/v1/cases/{case.pk}/needs",
        {"text": "  Stable   housing "},
        content_type=JSON,
    )
    assert need.status_code == 201, need.content
    assert need.json()["text"] == "Stable housing"
    blank = charity.post(
        f"/api/v1/cases/{case.pk}/needs", {"text": "   "}, content_type=JSON
    )
    assert blank.status_code == 400
    assert list(blank.json()["fields"]) == ["body.text"]
    outcome = charity.post(
        f"/api/v1/cases/{case.pk}/outcomes", {"text": "A tenancy"}, content_type=JSON
    ).json()
    url = f"/api/v1/outcomes/{outcome['id']}"
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = charity.patch(url, {"achieved_on": future}, content_type=JSON)
    assert refused.status_code == 400
    today = timezone.localdate().isoformat()
    achieved = charity.patch(url, {"achieved_on": today}, content_type=JSON)
    assert achieved.json()["achieved_on"] == today
    # A need's id is not an outcome's.
    assert (
        charity.patch(
            f"/api/v1/outcomes/{need.json()['id']}",
            {"achieved_on": None},
            content_type=JSON,
        ).status_code
        == 404
    )
    assert [
        n["text"] for n in charity.get(f"/api/v1/cases/{case.pk}/needs").json()
    ] == ["Stable housing"]
    assert charity.delete(f"/api/v1/needs/{need.json()['id']}").status_code == 204
    assert charity.delete(url).status_code == 204
    assert charity.get(f"/api/v1/cases/{case.pk}/outcomes").json() == []


def test_planned_support_is_added_changed_and_deleted(
    charity, support_firm, charity_owner
):
    """SPEC I5 K1: planned support through the plan services."""
    case = make_support_case(support_firm)
    created = charity.post(
        f"/api/v1/cases/{case.pk}/planned-support",
        {"description": "Weekly call", "lead_id": charity_owner.user_id},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["status"] == "planned"
    url = f"/api/v1/planned-support/{plan['id']}"
    changed = charity.patch(url, {"status": "in_progress"}, content_type=JSON)
    assert changed.status_code == 200
    assert changed.json()["lead_id"] == charity_owner.user_id
    assert changed.json()["description"] == "Weekly call"
    blank = charity.patch(url, {"description": " "}, content_type=JSON)
    assert blank.status_code == 400
    assert list(blank.json()["fields"]) == ["body.description"]
    bad_lead = charity.patch(url, {"lead_id": 10**9}, content_type=JSON)
    assert bad_lead.status_code == 400
    assert list(bad_lead.json()["fields"]) == ["body.lead_id"]
    assert charity.delete(url).status_code == 204
    assert charity.get(f"/api/v1/cases/{case.pk}/planned-support").json() == []


def test_external_services_are_linked_once_and_unlinked(charity, support_firm):
    """SPEC I6 K1: link a contact in a role, never the beneficiary, and unlink."""
    case = make_support_case(support_firm)
    gp = ContactFactory(firm=support_firm)
    url = f"/api/v1/cases/{case.pk}/external-services"
    linked = charity.post(url, {"contact_id": gp.pk, "role": "GP"}, content_type=JSON)
    assert linked.status_code == 201, linked.content
    again = charity.post(url, {"contact_id": gp.pk, "role": "GP"}, content_type=JSON)
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate"
    beneficiary = case.applicants.get().contact_id
    own = charity.post(
        url, {"contact_id": beneficiary, "role": "Self"}, content_type=JSON
    )
    assert own.status_code == 400
    assert list(own.json()["fields"]) == ["body.contact_id"]
    assert [s["contact_id"] for s in charity.get(url).json()] == [gp.pk]
    gone = charity.delete(f"/api/v1/external-services/{linked.json()['id']}")
    assert gone.status_code == 204
    assert charity.get(url).json() == []


def test_a_closed_support_case_is_read_only_and_keeps_time_open(charity, support_firm):
    """SPEC I3 K1: close and reopen through /cases keep the open periods; a
    closed case refuses changes to its parts (409)."""
    case = make_support_case(support_firm)
    plan = make_plan(case)
    closed = charity.post(
        f"/api/v1/cases/{case.pk}/move", {"status": "closed"}, content_type=JSON
    )
    assert closed.status_code == 200, closed.content
    assert not OpenPeriod.objects.filter(case=case, closed_at=None).exists()
    for method, url, data in [
        ("post", f"/api/v1/cases/{case.pk}/needs", {"text": "More"}),
        ("patch", f"/api/v1/planned-support/{plan.pk}", {"status": "complete"}),
        ("delete", f"/api/v1/planned-support/{plan.pk}", None),
        ("patch", f"/api/v1/cases/{case.pk}/details", {"title": "New"}),
    ]:
        response = _send(charity, method, url, data)
        assert response.status_code == 409, (method, url)
        assert response.json()["code"] == "case_closed"
    reopened = charity.post(
        f"/api/v1/cases/{case.pk}/reopen",
        {"status": "open", "reason": "Back in touch"},
        content_type=JSON,
    )
    assert reopened.status_code == 200, reopened.content
    periods = list(OpenPeriod.objects.filter(case=case).order_by("opened_at", "id"))
    assert len(periods) == 2
    assert periods[0].closed_at is not None
    assert periods[1].closed_at is None


def test_support_part_lists_queries_are_constant(
    charity, support_firm, django_assert_num_queries
):
    """SPEC K1: each part list costs token, case, its beneficiary, rows."""
    case = make_support_case(support_firm)
    for _ in range(3):
        make_item(case)
        make_plan(case)
        make_link(case)
    charity.get(f"/api/v1/cases/{case.pk}/needs")  # the token's first use writes
    for part in ("needs", "planned-support", "external-services"):
        with django_assert_num_queries(4):
            rows = charity.get(f"/api/v1/cases/{case.pk}/{part}").json()
        assert len(rows) == 3, part


def test_a_charity_case_is_not_an_advice_firms(api, support_firm):
    """SPEC K2: another firm's support case is 404 on every part."""
    case = make_support_case(support_firm)
    assert Case.objects.filter(pk=case.pk).exists()
    for part in ("needs", "outcomes", "planned-support", "external-services"):
        assert api.get(f"/api/v1/cases/{case.pk}/{part}").status_code == 404
