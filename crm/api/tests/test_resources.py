"""Every resource of the API: its list costs constant queries, its writes go
through the services, and the rules of the pages hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import Submission
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import InteractionTypeFactory
from crm.interactions.tests.factories import InteractionFactory
from crm.leads.tests.factories import LeadFactory
from crm.protection.tests.factories import make_policy, protection_case
from crm.support.tests.factories import make_support_case
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _counted(api, django_assert_num_queries, url, count, params=None):
    """Return the items of ``url``, asserting its queries (token already touched)."""
    api.get("/api/v1/contacts")  # the token's first use writes last_used_at
    with django_assert_num_queries(count):
        body = api.get(url, params or {}).json()
    return body["items"] if isinstance(body, dict) and "items" in body else body


def test_case_list_queries_are_constant(api, firm, django_assert_num_queries):
    """Cases with their applicants: token, cases, applicants."""
    for _ in range(3):
        make_case(firm)
    items = _counted(api, django_assert_num_queries, "/api/v1/cases", 3)
    assert len(items) == 3
    assert all(len(c["applicants"]) == 1 for c in items)


def test_lead_list_queries_are_constant(api, firm, django_assert_num_queries):
    """Leads: token, leads."""
    for _ in range(3):
        LeadFactory(contact__firm=firm)
    assert len(_counted(api, django_assert_num_queries, "/api/v1/leads", 2)) == 3


def test_task_list_queries_are_constant(api, firm, django_assert_num_queries):
    """Tasks: token, tasks."""
    for _ in range(3):
        TaskFactory(firm=firm)
    items = _counted(
        api, django_assert_num_queries, "/api/v1/tasks", 2, {"status": "all"}
    )
    assert len(items) == 3


def test_interaction_list_queries_are_constant(api, firm, django_assert_num_queries):
    """A contact's interactions: token, contact, their case ids, interactions."""
    contact = ContactFactory(firm=firm)
    for _ in range(3):
        InteractionFactory(firm=firm, contact=contact)
    items = _counted(
        api,
        django_assert_num_queries,
        "/api/v1/interactions",
        4,
        {"contact_id": contact.pk},
    )
    assert len(items) == 3


def test_policy_and_submission_lists_queries_are_constant(
    api, firm, django_assert_num_queries
):
    """A protection case's policies and submissions in fixed queries."""
    case = protection_case(firm, complete=False)
    for _ in range(3):
        make_policy(case)
    policies = _counted(
        api, django_assert_num_queries, f"/api/v1/cases/{case.pk}/policies", 4
    )
    assert len(policies) == 3
    for number in (1, 2, 3):
        Submission.objects.create(
            firm=firm,
            case=case,
            number=number,
            status=SubmissionStatus.REJECTED,
            is_latest=number == 3,
            idempotency_key=f"test-{case.pk}-{number}",
        )
    submissions = _counted(
        api, django_assert_num_queries, f"/api/v1/cases/{case.pk}/submissions", 6
    )
    assert len(submissions) == 3


def test_a_mortgage_case_is_opened_moved_and_read_back(api, firm, owner):
    """The done-means walk: contact, mortgage case, move, read back."""
    contact = api.post(
        "/api/v1/contacts",
        {"first_name": "Ada", "last_name": "Byron"},
        content_type=JSON,
    ).json()
    created = api.post(
        "/api/v1/cases/advice",
        {"kind": "mortgage", "applicant_ids": [contact["id"]], "offer_qualified": True},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["reference"].startswith("MTG-")
    # The client sort's stored name (issue 21) is filled through the API too.
    stored = Case.objects.filter(pk=case["id"]).values_list("client_sort_name")
    assert stored.get() == ("byron ada",)
    moved = api.post(
        f"/api/v1/cases/{case['id']}/move",
        {"status": "call_back"},
        content_type=JSON,
    )
    assert moved.status_code == 200, moved.content
    assert api.get(f"/api/v1/cases/{case['id']}").json()["status"] == "call_back"
    history = api.get(f"/api/v1/cases/{case['id']}/history").json()["items"]
    assert [h["type"] for h in history] == ["created", "status_changed"]
    assert (
        api.get(f"/api/v1/cases/{case['id']}/mortgage").json()["offer_qualified"]
        is True
    )


def test_offer_qualified_is_refused_on_a_protection_case(api, firm):
    """The kind's rule holds through the API (E6)."""
    contact = ContactFactory(firm=firm)
    response = api.post(
        "/api/v1/cases/advice",
        {"kind": "protection", "applicant_ids": [contact.pk], "offer_qualified": True},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["code"]


def test_an_illegal_move_is_409(api, firm):
    """The transition table holds: a mortgage case is never On Risk."""
    case = make_case(firm)
    response = api.post(
        f"/api/v1/cases/{case.pk}/move", {"status": "on_risk"}, content_type=JSON
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"


def test_k1_a_case_says_where_it_may_move(api, firm):
    """K1 D3: ``next_statuses`` is the transition table's row, in pipeline order,
    and a refused move names them, so a newcomer need not guess a status."""
    case = make_case(firm)
    shown = api.get(f"/api/v1/cases/{case.pk}").json()["next_statuses"]
    expected = ["call_back", "meeting", "decision_in_principle", "not_proceeding_with"]
    assert shown == expected
    refused = api.post(
        f"/api/v1/cases/{case.pk}/move", {"status": "contacted"}, content_type=JSON
    ).json()
    assert refused["message"].endswith(f"It may move to: {', '.join(shown)}.")
    moved = api.post(
        f"/api/v1/cases/{case.pk}/move", {"status": "meeting"}, content_type=JSON
    )
    assert "pre_offer_processing" in moved.json()["next_statuses"]


def test_k2_an_unknown_id_in_a_new_cases_body_names_its_field(api, firm, other_firm):
    """K2: a body id the firm lacks (or another firm's) is 400 on its field."""
    theirs = ContactFactory(firm=other_firm)
    for body, field in (
        ({"applicant_ids": [theirs.pk]}, "body.applicant_ids"),
        (
            {"applicant_ids": [ContactFactory(firm=firm).pk], "lead_id": 10**9},
            "body.lead_id",
        ),
    ):
        response = api.post(
            "/api/v1/cases/advice", {"kind": "mortgage", **body}, content_type=JSON
        )
        assert response.status_code == 400, response.content
        assert list(response.json()["fields"]) == [field]


def test_a_joint_case_needs_two_different_people(api, firm):
    """The same client twice is refused (same-client block)."""
    contact = ContactFactory(firm=firm)
    response = api.post(
        "/api/v1/cases/advice",
        {"kind": "mortgage", "applicant_ids": [contact.pk, contact.pk]},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "same_applicant"


def test_a_lead_is_opened_and_moved(api, firm):
    """Lead create and move go through the lead services."""
    contact = ContactFactory(firm=firm)
    lead = api.post(
        "/api/v1/leads", {"contact_id": contact.pk}, content_type=JSON
    ).json()
    assert lead["status"] == "new_lead"
    moved = api.post(
        f"/api/v1/leads/{lead['id']}/move", {"status": "call_back"}, content_type=JSON
    )
    assert moved.json()["status"] == "call_back"
    refused = api.post(
        f"/api/v1/leads/{lead['id']}/move", {"status": "converted"}, content_type=JSON
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "use_convert"


def test_a_task_is_added_completed_and_reopened(api, firm):
    """Task writes go through the task services."""
    task = api.post("/api/v1/tasks", {"title": "Call back"}, content_type=JSON).json()
    done = api.post(f"/api/v1/tasks/{task['id']}/complete").json()
    assert done["status"] == "done"
    again = api.post(f"/api/v1/tasks/{task['id']}/complete")
    assert again.status_code == 409
    assert api.post(f"/api/v1/tasks/{task['id']}/reopen").json()["status"] == "open"


def test_an_interaction_and_a_note_are_logged(api, firm):
    """Interactions need a type and a time; notes need only text."""
    contact = ContactFactory(firm=firm)
    kind = InteractionTypeFactory(firm=firm)
    logged = api.post(
        "/api/v1/interactions",
        {
            "contact_id": contact.pk,
            "interaction_type_id": kind.pk,
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "notes": "Rang about the offer.",
        },
        content_type=JSON,
    )
    assert logged.status_code == 201, logged.content
    note = api.post(
        "/api/v1/interactions",
        {"kind": "note", "contact_id": contact.pk, "notes": "Prefers e-mail."},
        content_type=JSON,
    )
    assert note.status_code == 201
    missing = api.post(
        "/api/v1/interactions",
        {"contact_id": contact.pk, "notes": "x"},
        content_type=JSON,
    )
    assert missing.json()["fields"] == {"body.interaction_type_id": ["Choose a type."]}


def test_sending_a_case_that_is_not_ready_is_409(api, firm):
    """The Concert Hub send runs the readiness check (G4)."""
    case = protection_case(firm, complete=False)
    response = api.post(f"/api/v1/cases/{case.pk}/submissions")
    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"


def test_a_support_cases_parts_are_read(api, support_firm):
    """Needs, outcomes, plans and services of a support case."""
    from crm.api.tests.factories import api_client, make_token
    from crm.firms.choices import Role
    from crm.firms.tests.factories import MembershipFactory

    case = make_support_case(support_firm)
    key = make_token(MembershipFactory(firm=support_firm, role=Role.OWNER))[1]
    body = api_client(key).get(f"/api/v1/cases/{case.pk}/support").json()
    assert set(body) == {
        "needs",
        "outcomes",
        "planned_support",
        "external_services",
        "days_open",
    }
    assert api_client(key).get("/api/v1/leads").status_code == 404
