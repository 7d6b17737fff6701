"""Case applicants, a support case's concern level and its outcome scores
through the API, by the same selectors and services as the pages (K1, I9, I10)."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.api.choices import TokenScope
from crm.api.tests.factories import api_client, make_token
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.tests.factories import MembershipFactory
from crm.support import services
from crm.support.models import SupportDetails
from crm.support.tests.factories import make_scale, make_scores, make_support_case

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def charity_owner(support_firm: Firm) -> Membership:
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def charity(charity_owner: Membership) -> Client:
    """A read-write token of an owner of a charity (the Support module)."""
    return api_client(make_token(charity_owner)[1])


@pytest.fixture
def charity_reader(charity_owner: Membership) -> Client:
    """A read-only token of the same owner."""
    return api_client(make_token(charity_owner, scope=TokenScope.READ)[1])


# Applicants ----------------------------------------------------------------


def test_a_joint_cases_applicants_are_listed_main_first(
    api, firm, django_assert_num_queries
):
    """SPEC K1 D1: a case's applicants in position order, in constant queries."""
    main, joint = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[main, joint])
    url = f"/api/v1/cases/{case.pk}/applicants"
    api.get(url)  # the token's first use writes
    with django_assert_num_queries(3):
        rows = api.get(url).json()
    assert [(r["contact_id"], r["position"]) for r in rows] == [
        (main.pk, 1),
        (joint.pk, 2),
    ]
    assert rows[0]["display_name"] == main.display_name


def test_another_firms_case_has_no_applicants_to_list(api, other_firm):
    """SPEC K2: another firm's case id is 404."""
    case = make_case(other_firm)
    assert api.get(f"/api/v1/cases/{case.pk}/applicants").status_code == 404


# Concern level ---------------------------------------------------------------


def test_the_concern_level_changes_with_a_reason(charity, support_firm, charity_owner):
    """SPEC I9 K1: concern_change through the API keeps its reason in history."""
    case = make_support_case(support_firm)
    url = f"/api/v1/cases/{case.pk}/concern"
    changed = charity.post(
        url, {"level": "high", "reason": "Eviction notice"}, content_type=JSON
    )
    assert changed.status_code == 200, changed.content
    assert changed.json() == {"case_id": case.pk, "concern_level": "high"}
    assert SupportDetails.objects.get(case=case).concern_level == "high"
    history = charity.get(f"/api/v1/cases/{case.pk}/history").json()["items"]
    last = history[-1]
    assert last["type"] == "concern_changed"
    assert last["parameters"]["reason"] == "Eviction notice"
    assert AuditEvent.objects.filter(
        firm=support_firm, actor=charity_owner.user
    ).exists()
    same = charity.post(url, {"level": "high", "reason": "Still"}, content_type=JSON)
    assert same.status_code == 409
    assert same.json()["code"] == "unchanged"
    blank = charity.post(url, {"level": "low", "reason": "  "}, content_type=JSON)
    assert blank.status_code == 400
    assert blank.json()["code"] == "reason_required"
    assert list(blank.json()["fields"]) == ["body.reason"]
    unknown = charity.post(url, {"level": "dire", "reason": "x"}, content_type=JSON)
    assert unknown.status_code == 422


def test_the_concern_level_is_not_changed_by_a_reader_or_on_a_closed_case(
    charity, charity_reader, support_firm
):
    """SPEC I9 K1: a read token is refused (403); a closed case is 409."""
    case = make_support_case(support_firm)
    url = f"/api/v1/cases/{case.pk}/concern"
    data = {"level": "urgent", "reason": "Threat"}
    assert charity_reader.post(url, data, content_type=JSON).status_code == 403
    charity.post(
        f"/api/v1/cases/{case.pk}/move", {"status": "closed"}, content_type=JSON
    )
    closed = charity.post(url, data, content_type=JSON)
    assert closed.status_code == 409
    assert closed.json()["code"] == "case_closed"


# Outcome scores --------------------------------------------------------------


def test_scales_are_listed_with_their_areas(
    charity, support_firm, django_assert_num_queries
):
    """SPEC I10 K1: the scales a set of scores names, with area ids."""
    wellbeing = make_scale(support_firm, "Wellbeing", areas=("Money", "Health"))
    make_scale(support_firm, "Housing")
    charity.get("/api/v1/outcome-scales")  # the token's first use writes
    with django_assert_num_queries(3):
        rows = charity.get("/api/v1/outcome-scales").json()
    assert [r["name"] for r in rows] == ["Housing", "Wellbeing"]
    assert [a["name"] for a in rows[1]["areas"]] == ["Money", "Health"]
    assert rows[1]["id"] == wellbeing.pk
    assert rows[0]["areas"] == []


def test_scores_are_recorded_through_the_service(charity, support_firm):
    """SPEC I10 K1: one number per area; the first set is the baseline; a
    second start is refused (409); a missing area names ``scores``."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm, "Wellbeing", areas=("Money", "Health"))
    money, health = list(scale.areas.all())
    url = f"/api/v1/cases/{case.pk}/scores"
    start = charity.post(
        url,
        {
            "scale_id": scale.pk,
            "point": "start",
            "scores": [
                {"area_id": money.pk, "value": 3},
                {"area_id": health.pk, "value": 4},
            ],
        },
        content_type=JSON,
    )
    assert start.status_code == 201, start.content
    body = start.json()
    assert body["average"] == "3.50"
    assert body["baseline"] == "3.50"
    assert body["scorer"] == "case_manager"
    assert body["via"] == "staff"
    assert body["recorded_on"] == timezone.localdate().isoformat()
    assert body["scores"] == [
        {"area_id": money.pk, "value": 3},
        {"area_id": health.pk, "value": 4},
    ]
    again = charity.post(
        url,
        {
            "scale_id": scale.pk,
            "point": "start",
            "scores": [{"area_id": money.pk, "value": 5}],
        },
        content_type=JSON,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate"
    missing = charity.post(
        url,
        {
            "scale_id": scale.pk,
            "point": "review",
            "scores": [{"area_id": money.pk, "value": 5}],
        },
        content_type=JSON,
    )
    assert missing.status_code == 400
    assert list(missing.json()["fields"]) == ["body.scores"]
    review = charity.post(
        url,
        {
            "scale_id": scale.pk,
            "point": "review",
            "scores": [
                {"area_id": money.pk, "value": 7},
                {"area_id": health.pk, "value": 8},
            ],
        },
        content_type=JSON,
    )
    assert review.status_code == 201, review.content
    assert review.json()["baseline"] == "3.50"
    listed = charity.get(url).json()
    assert [(s["point"], s["is_latest"]) for s in listed] == [
        ("start", False),
        ("review", True),
    ]


def test_scores_follow_the_scales_rules(
    charity, charity_reader, support_firm, other_firm
):
    """SPEC I10 K2: out of range, future, archived or another firm's scale are
    named field errors; a read token may not record."""
    case = make_support_case(support_firm)
    scale = make_scale(support_firm, "Housing")
    url = f"/api/v1/cases/{case.pk}/scores"

    def send(client: Client, **data: object) -> Any:
        body = {"scale_id": scale.pk, "point": "start", "scores": [{"value": 5}]}
        return client.post(url, {**body, **data}, content_type=JSON)

    assert send(charity_reader).status_code == 403
    high = send(charity, scores=[{"value": 11}])
    assert high.status_code == 400
    assert list(high.json()["fields"]) == ["body.scores"]
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = send(charity, recorded_on=future)
    assert list(later.json()["fields"]) == ["body.recorded_on"]
    theirs = make_scale(other_firm, "Theirs")
    stranger = send(charity, scale_id=theirs.pk)
    assert list(stranger.json()["fields"]) == ["body.scale_id"]
    services.scale_set_active(
        firm=support_firm,
        actor=MembershipFactory(firm=support_firm, role=Role.OWNER).user,
        scale=scale,
        active=False,
    )
    archived = send(charity)
    assert archived.status_code == 400
    assert list(archived.json()["fields"]) == ["body.scale_id"]


def test_score_lists_queries_are_constant(
    charity, support_firm, django_assert_num_queries
):
    """SPEC I10 K1: token, case, beneficiary, sets, their scores."""
    case = make_support_case(support_firm)
    for name in ("A", "B", "C"):
        make_scores(case, make_scale(support_firm, name, areas=("Money", "Health")))
    url = f"/api/v1/cases/{case.pk}/scores"
    charity.get(url)  # the token's first use writes
    with django_assert_num_queries(5):
        rows = charity.get(url).json()
    assert len(rows) == 3
    assert all(len(r["scores"]) == 2 for r in rows)


def test_a_charity_case_is_not_an_advice_firms(api, support_firm):
    """SPEC K2: another firm's support case is 404 for concern and scores."""
    case = make_support_case(support_firm)
    assert api.get(f"/api/v1/cases/{case.pk}/scores").status_code == 404
    refused = api.post(
        f"/api/v1/cases/{case.pk}/concern",
        {"level": "high", "reason": "x"},
        content_type=JSON,
    )
    assert refused.status_code == 404
    assert api.get("/api/v1/outcome-scales").status_code == 404
