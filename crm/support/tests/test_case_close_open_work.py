"""Closing a support case with open work asks what to do with it (issue 14, item 8)."""

import pytest

from crm.cases.models import CaseEvent
from crm.core.models import AuditEvent
from crm.support import services
from crm.support.choices import PlanStatus
from crm.support.models import PlannedSupport
from crm.support.tests.factories import make_plan, make_support_case
from crm.support.tests.pages import text, url
from crm.tasks.choices import TaskStatus
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(support_firm, sup_owner):
    """A case with an open task, a done task, a plan in progress and a done plan."""
    case = make_support_case(support_firm, manager=sup_owner.user)
    TaskFactory(firm=support_firm, case=case, title="Ring the GP surgery")
    TaskFactory(firm=support_firm, case=case, title="Old chore", status=TaskStatus.DONE)
    plan = make_plan(case, "Carer's referral")
    services.plan_update(
        firm=support_firm,
        actor=sup_owner.user,
        plan=plan,
        data=services.PlanData(
            description=plan.description, status=PlanStatus.IN_PROGRESS
        ),
    )
    done = make_plan(case, "Benefits check")
    services.plan_update(
        firm=support_firm,
        actor=sup_owner.user,
        plan=done,
        data=services.PlanData(description=done.description, status="complete"),
    )
    return case


def test_close_page_lists_open_work_and_asks_what_to_do(sup_client, busy):
    """The confirmation names the open task and plan and offers three choices."""
    body = text(sup_client.get(url("case_close", busy)))
    assert "This case still has open work" in body
    assert "Ring the GP surgery" in body
    assert "Carer&#x27;s referral (In Progress)" in body
    assert "Old chore" not in body
    assert "Benefits check" not in body
    for label in ("Leave them open", "Mark them complete", "Cancel them"):
        assert label in body


def test_closing_without_a_choice_keeps_the_case_open_and_what_was_typed(
    sup_client, busy
):
    """No silent choice: the form says what is missing and keeps the reason."""
    response = sup_client.post(url("case_close", busy), {"reason": "Moved away"})
    busy.refresh_from_db()
    assert busy.is_open is True
    assert "Choose what happens to the open work." in text(response)
    assert "Moved away" in text(response)


def test_closing_can_complete_the_open_work(sup_client, busy, support_firm):
    """Mark them complete: the task is done and the plan complete, each recorded."""
    sup_client.post(url("case_close", busy), {"open_work": "complete"})
    busy.refresh_from_db()
    assert busy.is_open is False
    task = Task.objects.get(firm=support_firm, title="Ring the GP surgery")
    assert task.status == TaskStatus.DONE
    plan = PlannedSupport.objects.get(firm=support_firm, description="Carer's referral")
    assert plan.status == PlanStatus.COMPLETE
    assert AuditEvent.objects.filter(
        firm=support_firm, object_id=str(task.pk), changes__status=["open", "done"]
    ).exists()
    assert CaseEvent.objects.filter(
        firm=support_firm, case=busy, type="plan_updated"
    ).exists()


def test_closing_can_cancel_the_open_work(sup_client, busy, support_firm):
    """Cancel them: the task and the plan are cancelled, not done."""
    sup_client.post(url("case_close", busy), {"open_work": "cancel"})
    task = Task.objects.get(firm=support_firm, title="Ring the GP surgery")
    plan = PlannedSupport.objects.get(firm=support_firm, description="Carer's referral")
    assert (task.status, plan.status) == (TaskStatus.CANCELLED, PlanStatus.CANCELLED)
    assert Task.objects.get(firm=support_firm, title="Old chore").status == "done"


def test_closing_can_leave_the_open_work(sup_client, busy, support_firm):
    """Leave them open: the case closes and its task and plan stay as they were."""
    sup_client.post(url("case_close", busy), {"open_work": "leave"})
    busy.refresh_from_db()
    assert busy.is_open is False
    task = Task.objects.get(firm=support_firm, title="Ring the GP surgery")
    assert task.status == TaskStatus.OPEN


def test_a_case_without_open_work_closes_without_the_question(
    sup_client, support_firm, sup_owner
):
    """Nothing open: the page does not ask, and closing needs no choice."""
    case = make_support_case(support_firm, manager=sup_owner.user)
    assert "open work" not in text(sup_client.get(url("case_close", case)))
    sup_client.post(url("case_close", case), {})
    case.refresh_from_db()
    assert case.is_open is False


def test_the_service_refuses_an_unknown_choice(busy, support_firm, sup_owner):
    """An unknown choice is refused with a message, and nothing changes."""
    from crm.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="Choose what to do"):
        services.support_case_close(
            firm=support_firm, actor=sup_owner.user, case=busy, open_work="shred"
        )
