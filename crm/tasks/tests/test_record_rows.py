"""A record's task list drawn in Python reads as ``tasks/_record_tasks.html``."""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import TaskCategoryFactory, UserFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks import record_rows, selectors
from crm.tasks.choices import TaskStatus
from crm.tasks.tests.factories import TaskFactory

pytestmark = [
    pytest.mark.django_db,
    # Django's own {% csrf_token %} with "NOTPROVIDED", in the reference.
    pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning"),
]

NASTY = '<b>O\'Brien & "Sons"</b>'
PATH = "/clients/7/?q=<&x='\"&page=2"


def _tasks(firm) -> tuple[Any, int]:
    """Make tasks of every status, due date, link and detail; return the client."""
    today = timezone.localdate()
    dues = [None, today - timedelta(days=4), today, today + timedelta(days=3)]
    statuses = list(TaskStatus.values)
    contact = ContactFactory(firm=firm, first_name=NASTY)
    cases = [
        make_case(firm, applicants=[contact]),
        make_case(firm, kind=AdviceKind.PROTECTION, applicants=[contact]),
    ]
    lead = LeadFactory(contact=contact)
    links: list[dict[str, Any]] = [
        {"case": cases[0]},
        {"case": cases[1]},
        {"lead": lead},
        {},
        {"case": cases[0]},
    ]
    category = TaskCategoryFactory(firm=firm, name=NASTY)
    assignees = [UserFactory(first_name=NASTY, last_name="Jones"), None]
    assignees.append(UserFactory(first_name="", last_name=""))
    made = 30
    for i in range(made):
        TaskFactory(
            firm=firm,
            contact=contact,
            title=NASTY if i % 2 else f"Task {i}",
            status=statuses[i % len(statuses)],
            duration_minutes=[None, 30, 0][i % 3],
            due_date=dues[i % 4],
            category=category if i % 5 else None,
            assignee=assignees[i % 3],
            **links[i % len(links)],
        )
    return contact, made


def _request(*, can_edit: bool) -> SimpleNamespace:
    permissions = {"edit_cases", "view_cases"} if can_edit else {"view_cases"}
    return SimpleNamespace(
        membership=SimpleNamespace(permissions=permissions),
        get_full_path=lambda: PATH,
    )


def _both_ways(values: dict[str, Any], empty: str) -> tuple[str, str]:
    template = get_template("tasks/_record_tasks.html")
    templated = template.render({**values, "empty": empty})
    drawn = record_rows.draw(
        Context(values),
        values["tasks"],
        empty=empty,
        hide_case=values.get("hide_case", False),
        today=timezone.localdate(),
    )
    return drawn, templated


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("hide_case", [True, False])
@pytest.mark.parametrize("csrf_token", ["tok<en>&", "NOTPROVIDED", None])
def test_tasks_draw_as_the_template_does(firm, can_edit, hide_case, csrf_token):
    """Every status, due date, link and detail draws alike, with or without edit."""
    contact, made = _tasks(firm)
    tasks = list(selectors.task_list_for(firm=firm, principal=None, contact=contact))
    assert len(tasks) == made
    values = {
        "tasks": tasks,
        "request": _request(can_edit=can_edit),
        "csrf_token": csrf_token,
        "hide_case": hide_case,
    }
    drawn, templated = _both_ways(values, "No tasks for this client.")
    assert drawn == templated
    assert drawn.count("<li") == made
    assert ("task-row--overdue" in drawn) is True
    assert ("Due today" in drawn) is True
    assert ("On " in drawn) is not hide_case
    assert ("Complete<span" in drawn) is can_edit


def test_no_tasks_draw_as_the_template_does():
    """With no tasks, the text for none is shown (escaped) as the template shows it."""
    values = {"tasks": [], "request": _request(can_edit=True), "csrf_token": "t"}
    drawn, templated = _both_ways(values, "None for <you> & me.")
    assert drawn == templated
    assert "None for &lt;you&gt; &amp; me." in drawn
