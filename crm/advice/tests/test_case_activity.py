"""Case-owned activity: tasks, interactions and notes on an advice case (D1, J1, J2)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import InteractionTypeFactory
from crm.interactions import selectors as interaction_selectors
from crm.interactions import services as interaction_services
from crm.interactions.choices import InteractionCaseEventType
from crm.tasks import selectors as task_selectors
from crm.tasks import services as task_services
from crm.tasks.choices import TaskCaseEventType

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(firm):
    """Two clients and two cases: a joint one, and another of the first client."""
    first = ContactFactory(firm=firm, first_name="Ada", last_name="Byron")
    second = ContactFactory(firm=firm, first_name="Mary", last_name="Somerville")
    case = make_case(firm, applicants=[first, second])
    other = make_case(firm, applicants=[first])
    return first, second, case, other


def _add_all(firm, actor, case):
    task = task_services.task_create(
        firm=firm,
        actor=actor,
        title="Chase payslips",
        description="",
        due_date=None,
        assignee=None,
        priority="",
        category=None,
        case=case,
    )
    call = interaction_services.interaction_log(
        firm=firm,
        actor=actor,
        occurred_at=timezone.now(),
        interaction_type=InteractionTypeFactory(firm=firm, name="Phone call"),
        notes="Talked through the DIP",
        case=case,
    )
    note = interaction_services.note_add(
        firm=firm, actor=actor, notes="Prefers e-mail", case=case
    )
    return task, call, note


def test_case_items_land_in_history_and_on_both_applicants_timelines(
    firm, staff, joint
):
    """Each item is a History entry on the case and a timeline entry for both."""
    first, second, case, _other = joint
    task, call, note = _add_all(firm, staff.user, case)
    types = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert TaskCaseEventType.TASK_ADDED in types
    assert types.count(InteractionCaseEventType.INTERACTION_LOGGED) == 2
    for contact in (first, second):
        summaries = set(
            ContactEvent.objects.filter(contact=contact).values_list(
                "summary", flat=True
            )
        )
        assert "Chase payslips" in summaries
        assert "Phone call: Talked through the DIP" in summaries
        assert "Note: Prefers e-mail" in summaries
    assert note.case == case
    assert call.case == case
    assert task.case == case


def test_each_case_lists_its_own_items_and_clients_see_all(firm, staff, joint):
    """A case's lists hold its own items; both clients' records hold them all."""
    first, second, case, other = joint
    task, call, note = _add_all(firm, staff.user, case)
    assert (
        list(task_selectors.task_list_for(firm=firm, principal=None, case=other)) == []
    )
    assert (
        list(
            interaction_selectors.interaction_list_for(
                firm=firm, principal=None, case=other
            )
        )
        == []
    )
    assert list(task_selectors.task_list_for(firm=firm, principal=None, case=case)) == [
        task
    ]
    assert set(
        interaction_selectors.interaction_list_for(firm=firm, principal=None, case=case)
    ) == {
        call,
        note,
    }
    for contact in (first, second):
        assert task in task_selectors.task_list_for(
            firm=firm, principal=None, contact=contact
        )
        entries = set(
            interaction_selectors.interaction_list_for(
                firm=firm, principal=None, contact=contact
            )
        )
        assert {call, note} <= entries


def test_case_page_shows_its_items_and_not_the_other_cases(
    owner_client, firm, owner, joint
):
    """The case page lists its own activity; the client's other case does not."""
    first, second, case, other = joint
    _add_all(firm, owner.user, case)
    body = owner_client.get(case.get_absolute_url()).content.decode()
    assert "Chase payslips" in body
    assert "Talked through the DIP" in body
    assert "Prefers e-mail" in body
    assert f"?case={case.pk}" in body
    body = owner_client.get(other.get_absolute_url()).content.decode()
    assert "Chase payslips" not in body
    assert "Prefers e-mail" not in body
    assert "No tasks on this case yet." in body
    for contact in (first, second):
        body = owner_client.get(contact.get_absolute_url()).content.decode()
        assert "Chase payslips" in body
        assert f"On {case.reference}" in body


def test_note_on_a_case_from_its_page(owner_client, firm, joint):
    """Add note on a case saves it on the case and returns to the case page."""
    _first, _second, case, _other = joint
    url = reverse("interactions:note_create")
    assert owner_client.get(url, {"case": case.pk}).status_code == 200
    response = owner_client.post(url, {"case": case.pk, "notes": "Called back"})
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    entries = interaction_selectors.interaction_list_for(
        firm=firm, principal=None, case=case
    )
    assert [e.notes for e in entries] == ["Called back"]


def test_empty_note_on_a_case_keeps_the_form(owner_client, firm, joint):
    """A blank note is refused with a message, on the same page."""
    _first, _second, case, _other = joint
    response = owner_client.post(
        reverse("interactions:note_create"), {"case": case.pk, "notes": " "}
    )
    assert response.status_code == 200
    assert (
        "errorlist" in response.content.decode() or "Enter" in response.content.decode()
    )


def test_note_on_another_firms_case_is_404(owner_client, other_firm):
    """Another firm's case is not found for notes."""
    case = make_case(other_firm)
    response = owner_client.get(reverse("interactions:note_create"), {"case": case.pk})
    assert response.status_code == 404
