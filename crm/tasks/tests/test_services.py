"""Task services: rules, firm checks, audit and the client timeline (J1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core import txmemo
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.tests.factories import MembershipFactory, TaskCategoryFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks import services
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 3, 14)


def create(firm, actor, **overrides):
    """Call ``task_create`` with sensible defaults."""
    fields = {
        "title": "Chase payslips",
        "description": "",
        "due_date": DUE,
        "assignee": actor,
        "priority": "normal",
        "category": None,
    }
    return services.task_create(firm=firm, actor=actor, **(fields | overrides))


def audit_verbs(task):
    return list(
        AuditEvent.objects.filter(object_type="tasks.task", object_id=str(task.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_create_on_a_contact_writes_audit_and_timeline(firm, adviser):
    """The task is saved, the audit log has it and the client's timeline says so."""
    contact = ContactFactory(firm=firm)
    task = create(firm, adviser.user, title="  Call back  ", contact=contact)

    assert task.title == "Call back"
    assert task.created_by == adviser.user
    assert audit_verbs(task) == ["create"]
    event = ContactEvent.objects.get(contact=contact)
    assert event.type == "task_created"
    assert event.summary == "Call back"
    assert event.link == f"/tasks/{task.pk}/edit/"


def test_create_on_a_lead_links_the_leads_contact(firm, adviser):
    """A lead's task also belongs to its contact, whose timeline shows it."""
    lead = LeadFactory(contact__firm=firm)
    task = create(firm, adviser.user, lead=lead)

    assert task.lead == lead
    assert task.contact == lead.contact
    assert ContactEvent.objects.get(contact=lead.contact).type == "task_created"


def test_create_without_a_link_writes_no_timeline(firm, adviser):
    """A task about nobody in particular has no timeline entry."""
    create(firm, adviser.user)
    assert not ContactEvent.objects.exists()
    assert Task.objects.count() == 1


def test_create_refuses_a_blank_title(firm, adviser):
    """A title is required."""
    with pytest.raises(ApplicationError, match="Enter a title") as caught:
        create(firm, adviser.user, title="   ")
    assert caught.value.field == "title"


@pytest.mark.parametrize("kind", ["contact", "lead", "category"])
def test_create_refuses_another_firms_objects(firm, other_firm, adviser, kind):
    """Contacts, leads and categories of another firm are refused."""
    foreign = {
        "contact": lambda: ContactFactory(firm=other_firm),
        "lead": lambda: LeadFactory(contact__firm=other_firm),
        "category": lambda: TaskCategoryFactory(firm=other_firm),
    }[kind]()
    with pytest.raises(ApplicationError, match="not in this firm"):
        create(firm, adviser.user, **{kind: foreign})
    assert not Task.objects.exists()


def test_create_refuses_an_assignee_from_another_firm(firm, other_firm, adviser):
    """The assignee must be a member of this firm."""
    stranger = MembershipFactory(firm=other_firm).user
    with pytest.raises(ApplicationError, match="active member") as caught:
        create(firm, adviser.user, assignee=stranger)
    assert caught.value.field == "assignee"


def test_create_refuses_a_deactivated_member_as_assignee(firm, adviser):
    """A member who has left can't be given new tasks."""
    gone = MembershipFactory(firm=firm, is_active=False).user
    with pytest.raises(ApplicationError, match="active member"):
        create(firm, adviser.user, assignee=gone)


def test_create_refuses_an_archived_category(firm, adviser):
    """Archived categories are not offered for new tasks."""
    category = TaskCategoryFactory(firm=firm, is_active=False, name="Old")
    with pytest.raises(ApplicationError, match="“Old” is archived"):
        create(firm, adviser.user, category=category)


def test_create_refuses_a_lead_of_another_contact(firm, adviser):
    """Contact and lead, if both given, must be the same client."""
    lead = LeadFactory(contact__firm=firm)
    with pytest.raises(ApplicationError, match="another client"):
        create(firm, adviser.user, lead=lead, contact=ContactFactory(firm=firm))


def test_update_records_old_and_new_values(firm, adviser, manager):
    """Only changed fields are saved and audited."""
    task = create(firm, adviser.user)
    category = TaskCategoryFactory(firm=firm, name="Compliance")
    services.task_update(
        firm=firm,
        actor=adviser.user,
        task=task,
        title="Chase payslips",
        description="",
        due_date=DUE + datetime.timedelta(days=1),
        assignee=manager.user,
        priority="high",
        category=category,
    )
    event = AuditEvent.objects.filter(verb="update").get()
    assert event.changes == {
        "due_date": ["2025-03-14", "2025-03-15"],
        "assignee": [
            f"{adviser.user} (#{adviser.user.pk})",
            f"{manager.user} (#{manager.user.pk})",
        ],
        "priority": ["normal", "high"],
        "category": [None, f"Compliance (#{category.pk})"],
    }


def test_update_without_changes_writes_no_audit(firm, adviser):
    """Saving an unchanged form is a no-op."""
    task = create(firm, adviser.user)
    services.task_update(
        firm=firm,
        actor=adviser.user,
        task=task,
        title=task.title,
        description=task.description,
        due_date=task.due_date,
        assignee=task.assignee,
        priority=task.priority,
        category=None,
    )
    assert audit_verbs(task) == ["create"]


def test_update_keeps_an_archived_category_and_a_departed_assignee(firm, adviser):
    """Editing a task does not force out values that were valid when set."""
    gone = MembershipFactory(firm=firm, is_active=False).user
    category = TaskCategoryFactory(firm=firm, is_active=False)
    task = TaskFactory(firm=firm, assignee=gone, category=category)
    services.task_update(
        firm=firm,
        actor=adviser.user,
        task=task,
        title="Renamed",
        description="",
        due_date=None,
        assignee=gone,
        priority="low",
        category=category,
    )
    task.refresh_from_db()
    assert task.title == "Renamed"
    assert task.category == category


def test_complete_marks_done_with_timeline_and_status_audit(firm, adviser):
    """Completing records who and when, on the timeline and in the audit log."""
    contact = ContactFactory(firm=firm)
    task = create(firm, adviser.user, contact=contact)
    services.task_complete(firm=firm, actor=adviser.user, task=task)

    task.refresh_from_db()
    assert task.status == "done"
    assert task.completed_by == adviser.user
    assert task.completed_at is not None
    assert audit_verbs(task) == ["create", "status_change"]
    assert AuditEvent.objects.get(verb="status_change").changes == {
        "status": ["open", "done"]
    }
    types = ContactEvent.objects.filter(contact=contact).values_list("type", flat=True)
    assert sorted(types) == ["task_completed", "task_created"]


def test_complete_refuses_a_done_task(firm, adviser):
    """A task can be completed once."""
    task = TaskFactory(firm=firm, status="done")
    with pytest.raises(ApplicationError, match="already done"):
        services.task_complete(firm=firm, actor=adviser.user, task=task)


def test_reopen_clears_the_completion(firm, adviser):
    """Reopening makes the task open again and audits the change."""
    task = create(firm, adviser.user)
    services.task_complete(firm=firm, actor=adviser.user, task=task)
    services.task_reopen(firm=firm, actor=adviser.user, task=task)

    task.refresh_from_db()
    assert task.status == "open"
    assert task.completed_at is None
    assert task.completed_by is None
    assert audit_verbs(task) == ["create", "status_change", "status_change"]


def test_reopen_refuses_an_open_task(firm, adviser):
    """Only a done task can be reopened."""
    with pytest.raises(ApplicationError, match="already open"):
        services.task_reopen(firm=firm, actor=adviser.user, task=TaskFactory(firm=firm))


@pytest.mark.parametrize("verb", ["task_complete", "task_reopen"])
def test_status_changes_refuse_another_firms_task(firm, other_firm, adviser, verb):
    """A task from another firm is never changed."""
    task = TaskFactory(firm=other_firm)
    with pytest.raises(ApplicationError, match="not in this firm"):
        getattr(services, verb)(firm=firm, actor=adviser.user, task=task)


def test_ticking_a_task_reads_none_of_its_rows_again(firm, adviser):
    """Issue 21 item 4: completing or reopening a task validates its new
    status, not its firm, category, assignee and creator again (a read each):
    the update, the client's timeline (which reads the client), the audit
    chain's head and row."""
    contact = ContactFactory(firm=firm)
    category = TaskCategoryFactory(firm=firm)
    task = create(firm, adviser.user, contact=contact, category=category)
    task.refresh_from_db()
    txmemo.clear()  # each in its own request's transaction (the audit head read)
    with CaptureQueriesContext(connection) as done:
        services.task_complete(firm=firm, actor=adviser.user, task=task)
    txmemo.clear()
    with CaptureQueriesContext(connection) as reopened:
        services.task_reopen(firm=firm, actor=adviser.user, task=task)
    for captured in (done, reopened):
        read = " ".join(q["sql"].split(" WHERE ")[0] for q in captured)
        for table in ("firms_firm", "firms_user", "firms_taskcategory"):
            assert f'FROM "{table}"' not in read
    assert (len(done), len(reopened)) == (7, 5)
