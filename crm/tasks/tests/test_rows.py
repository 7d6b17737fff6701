"""The Tasks list's rows drawn in Python read as the row template draws them."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.cases.models import Case, CaseApplicant
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.tests.rows import both_ways
from crm.firms.tests.factories import TaskCategoryFactory, UserFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks.choices import TaskPriority, TaskStatus
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory
from crm.tasks.views import FOLLOW_UP_LIST, TASK_LIST

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'
DESCRIPTIONS = [
    "",
    NASTY,
    "x" * 90,
    "y" * 91,
    "Call the lender <again> & ask for the valuation report, " * 3,
    "cafe\u0301 " * 30,  # combining accents: not counted, and composed
]


def _tasks(firm):
    """Make tasks of every status, link, due date and detail; return how many."""
    today = timezone.localdate()
    dues = [None, today - timedelta(days=4), today, today + timedelta(days=3)]
    statuses = list(TaskStatus.values)
    contact = ContactFactory(firm=firm, first_name=NASTY)
    case = make_case(firm, applicants=[contact])
    lead = LeadFactory(contact=contact)
    links: list[dict[str, Any]] = [
        {"case": case, "contact": contact},
        {"case": case},
        {"lead": lead, "contact": contact},
        {"lead": lead},
        {"contact": contact},
        {},
    ]
    category = TaskCategoryFactory(firm=firm, name=NASTY)
    assignee = UserFactory(first_name=NASTY, last_name="Jones")
    made = 24
    for i in range(made):
        TaskFactory(
            firm=firm,
            title=NASTY if i % 2 else f"Task {i}",
            description=DESCRIPTIONS[i % len(DESCRIPTIONS)],
            status=statuses[i % len(statuses)],
            priority=TaskPriority.HIGH if i % 4 == 1 else TaskPriority.NORMAL,
            duration_minutes=[None, 30, 0][i % 3],
            due_date=dues[i % 4],
            category=category if i % 5 else None,
            assignee=assignee if i % 3 else None,
            **links[i % len(links)],
        )
    return made


@pytest.mark.parametrize("member", ["owner", "read_only"])
def test_rows_drawn_in_python_match_the_templates(
    request, login, firm, member, monkeypatch
):
    """Every status, link, due date and detail draws alike, with or without edit."""
    client = login(request.getfixturevalue(member))
    made = _tasks(firm)
    url = reverse("tasks:task_list") + "?tab=all&status=all&q=<&x='\""
    drawn, templated = both_ways(client, url, monkeypatch)
    assert TASK_LIST.row_drawer is not None
    assert drawn == templated
    assert drawn[1].count("<tr") == made + 1
    assert "Overdue" in drawn[1]
    assert "Due today" in drawn[1]
    assert ("Reopen" in drawn[1]) is (member == "owner")


def test_follow_up_rows_drawn_in_python_match_the_templates(
    owner_client, owner, firm, monkeypatch
):
    """Leads and cases, overdue and due today, joint or no clients draw alike."""
    today = timezone.localdate()
    made = 0
    for i, status in enumerate(["new_lead", "call_back", "appointment_set", "meeting"]):
        LeadFactory(
            contact=ContactFactory(firm=firm, first_name=NASTY),
            status=status,
            owner=owner.user,
            follow_up_date=today - timedelta(days=i % 2),
        )
        made += 1
    for i, status in enumerate(["new_lead", "call_back", "meeting", "fact_find"]):
        applicants = [ContactFactory(firm=firm, first_name=NASTY)]
        if i % 2:
            applicants.append(ContactFactory(firm=firm))
        kind = AdviceKind.PROTECTION if i == 3 else AdviceKind.MORTGAGE
        case = make_case(firm, kind=kind, applicants=applicants)
        if i == 2:  # a case left without a client
            CaseApplicant.objects.filter(case=case).delete()
        Case.objects.filter(pk=case.pk).update(
            status=status, owner=owner.user, follow_up_date=today - timedelta(days=i)
        )
        made += 1
    url = reverse("tasks:task_list") + "?tab=follow_ups"
    drawn, templated = both_ways(owner_client, url, monkeypatch)
    assert FOLLOW_UP_LIST.row_drawer is not None
    assert drawn == templated
    assert drawn[1].count("<tr") == made + 1
    assert "task-row--overdue" in drawn[1]
    assert "Lead #" in drawn[1]


@pytest.mark.parametrize(
    ("status", "colour"),
    [("open", "blue"), ("done", "green"), ("cancelled", ""), ("lost", "")],
)
def test_status_badge_colour_is_the_one_its_status_declares(status, colour):
    """Open is blue, done green, cancelled the plain badge; an unknown status
    (a row written before a status was dropped) gets the plain badge too."""
    assert Task(status=status).status_colour == colour
