"""Task selectors: the Tasks page tabs, a record's tasks, counts and pickers (J1)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import NotFound
from crm.firms.tests.factories import MembershipFactory, TaskCategoryFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks import selectors
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 12)
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Pin today to Wednesday 12 March 2025, late evening in London."""
    time_machine.move_to(
        datetime.datetime(2025, 3, 12, 23, 30, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )


@pytest.fixture
def tasks(firm, other_firm, adviser, manager):
    """One task per situation the tabs must tell apart."""
    me, colleague = adviser.user, manager.user
    return {
        "mine_today": TaskFactory(firm=firm, assignee=me, due_date=TODAY),
        "mine_overdue": TaskFactory(firm=firm, assignee=me, due_date=YESTERDAY),
        "mine_later": TaskFactory(firm=firm, assignee=me, due_date=TOMORROW),
        "mine_undated": TaskFactory(firm=firm, assignee=me, due_date=None),
        "mine_done": TaskFactory(
            firm=firm, assignee=me, due_date=YESTERDAY, status="done"
        ),
        "theirs_today": TaskFactory(firm=firm, assignee=colleague, due_date=TODAY),
        "theirs_overdue": TaskFactory(
            firm=firm, assignee=colleague, due_date=YESTERDAY
        ),
        "nobodys_overdue": TaskFactory(firm=firm, due_date=YESTERDAY),
        "other_firm": TaskFactory(firm=other_firm, due_date=YESTERDAY),
    }


def listed(tasks, **kwargs):
    """Return the names of ``tasks`` that ``task_list`` returns, in its order."""
    names = {task.pk: name for name, task in tasks.items()}
    return [names[t.pk] for t in selectors.task_list(principal=None, **kwargs)]


def test_my_tasks_tab_lists_my_open_tasks_soonest_first(firm, adviser, tasks):
    """My tasks: assigned to me and open, by due date, undated last."""
    assert listed(tasks, firm=firm, tab="mine", user=adviser.user) == [
        "mine_overdue",
        "mine_today",
        "mine_later",
        "mine_undated",
    ]


def test_due_today_tab_lists_everyones_open_tasks_due_today(firm, adviser, tasks):
    """Due today: the firm's open tasks with today's date, in London time."""
    assert listed(tasks, firm=firm, tab="today", user=adviser.user) == [
        "mine_today",
        "theirs_today",
    ]


def test_overdue_tab_lists_open_tasks_due_before_today(firm, adviser, tasks):
    """Overdue: open tasks due before today; done ones never, whatever the status."""
    expected = ["mine_overdue", "theirs_overdue", "nobodys_overdue"]
    assert listed(tasks, firm=firm, tab="overdue", user=adviser.user) == expected
    assert (
        listed(tasks, firm=firm, tab="overdue", user=adviser.user, status="done")
        == expected
    )


def test_all_tab_filters_by_status(firm, adviser, tasks):
    """All: open by default, done or both on request; another firm's never."""
    open_ = listed(tasks, firm=firm, tab="all", user=adviser.user)
    both = listed(tasks, firm=firm, tab="all", user=adviser.user, status="all")
    done = listed(tasks, firm=firm, tab="all", user=adviser.user, status="done")
    assert len(open_) == 7
    assert "mine_done" not in open_
    assert set(both) == set(open_) | {"mine_done"}
    assert done == ["mine_done"]
    assert "other_firm" not in both


def test_assignee_filter_narrows_every_tab_but_mine(firm, adviser, manager, tasks):
    """Filtering by a colleague narrows Due today and Overdue, not My tasks."""
    kwargs = {"firm": firm, "user": adviser.user, "assignee_id": manager.user_id}
    assert listed(tasks, tab="today", **kwargs) == ["theirs_today"]
    assert listed(tasks, tab="overdue", **kwargs) == ["theirs_overdue"]
    assert len(listed(tasks, tab="mine", **kwargs)) == 4


def test_category_filter(firm, adviser):
    """Filtering by category keeps only that category's tasks."""
    category = TaskCategoryFactory(firm=firm)
    wanted = TaskFactory(firm=firm, assignee=adviser.user, category=category)
    TaskFactory(firm=firm, assignee=adviser.user)
    result = selectors.task_list(
        principal=None,
        firm=firm,
        tab="mine",
        user=adviser.user,
        category_id=category.pk,
    )
    assert list(result) == [wanted]


def test_dashboard_counts_read_only_what_its_tile_shows(
    firm, adviser, tasks, django_assert_num_queries
):
    """The dashboard's tile shows the member's open, due today and overdue
    tasks: three capped queries (five before, counting the firm's too)."""
    with django_assert_num_queries(3):
        counts = selectors.task_counts(principal=None, firm=firm, user=adviser.user)
    assert counts == {"mine": 4, "mine_today": 1, "mine_overdue": 1}


def test_tab_counts_read_only_what_the_tabs_show(
    firm, adviser, tasks, django_assert_num_queries
):
    """The Tasks page's tabs count three things, one capped query each; the
    dashboard's own due today and overdue are not counted for them."""
    with django_assert_num_queries(3):
        counts = selectors.task_tab_counts(principal=None, firm=firm, user=adviser.user)
    assert counts == {"mine": 4, "today": 2, "overdue": 3}
    assert selectors.task_tab_counts(
        principal=None, firm=firm, user=adviser.user, assignee_id=adviser.user_id
    ) == {"mine": 4, "today": 1, "overdue": 1}


def test_counts_read_no_or_so_each_stops_at_the_cap(firm, adviser, tasks):
    """No count adds "mine or due by today" (each condition implies one side):
    with that OR, PostgreSQL read every task due today in the firm through two
    combined bitmaps before the cap, 5,538 at 2.5M tasks (issue 21)."""
    with CaptureQueriesContext(connection) as captured:
        selectors.task_counts(principal=None, firm=firm, user=adviser.user)
        selectors.task_tab_counts(principal=None, firm=firm, user=adviser.user)
    assert len(captured.captured_queries) == 6
    assert all(" OR " not in q["sql"] for q in captured.captured_queries)


def test_my_tasks_first_page_is_read_in_index_order(firm, adviser, tasks):
    """My tasks are ordered by due date, then id, and so is their index, so a
    busy adviser's first page is not every task due on the first date sorted.
    SQLite puts NULLs first in an index and sorts for NULLS LAST, so the plan
    is checked on PostgreSQL only."""
    qs = selectors.task_list(principal=None, firm=firm, tab="mine", user=adviser.user)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As on a large table, where the index is the cheaper path.
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs[:26].explain()
    if connection.vendor == "postgresql":
        assert "task_firm_assignee_due" in plan
        assert "Sort" not in plan


def test_row_only_list_reads_what_a_row_shows_and_no_more(
    firm, adviser, django_assert_num_queries
):
    """The Tasks page's list reads the names of what each task links to, not
    every column of the client, the case and the assignee, and showing a row
    of any kind asks for nothing more."""
    contact = ContactFactory(firm=firm)
    case = make_case(firm, applicants=[contact])
    lead = LeadFactory(contact=contact)
    category = TaskCategoryFactory(firm=firm)
    for links in (
        {"case": case, "contact": contact},
        {"case": case},
        {"lead": lead, "contact": contact},
        {"contact": contact},
        {},
    ):
        TaskFactory(
            firm=firm,
            assignee=adviser.user,
            category=category,
            due_date=TODAY,
            duration_minutes=30,
            **links,
        )
    qs = selectors.task_list(
        principal=None, firm=firm, tab="mine", user=adviser.user, row_only=True
    )
    with CaptureQueriesContext(connection) as captured:
        found = list(qs)
    sql = captured.captured_queries[0]["sql"]
    assert '"notes"' not in sql
    assert '"password"' not in sql
    with django_assert_num_queries(0):
        shown = [
            (
                task.pk,
                task.title,
                task.description,
                task.due_date,
                task.duration_minutes,
                task.priority,
                task.status_colour,
                task.get_status_display(),
                task.lead_id,
                task.assignee and task.assignee.full_name,
                task.category and task.category.name,
                task.contact.display_name if task.contact else None,
                task.case.get_absolute_url() if task.case else None,
                task.case.reference if task.case else None,
            )
            for task in found
        ]
    assert len(shown) == 5
    assert shown[0][-3:] == (
        contact.display_name,
        case.get_absolute_url(),
        case.reference,
    )


def test_counts_follow_the_filters(firm, adviser, manager, tasks):
    """The assignee filter narrows the firm-wide counts, not the member's own."""
    counts = selectors.task_tab_counts(
        principal=None, firm=firm, user=adviser.user, assignee_id=manager.user_id
    )
    assert counts == {"mine": 4, "today": 1, "overdue": 1}
    category = TaskCategoryFactory(firm=firm)
    assert selectors.task_tab_counts(
        principal=None, firm=firm, user=adviser.user, category_id=category.pk
    ) == dict.fromkeys(counts, 0)


def test_list_for_a_contact_includes_its_leads_tasks_open_first(firm, adviser):
    """A client's tasks include those on their leads; open first, soonest due."""
    contact = ContactFactory(firm=firm)
    lead = LeadFactory(contact=contact, firm=firm)
    done = TaskFactory(firm=firm, contact=contact, status="done", due_date=YESTERDAY)
    later = TaskFactory(firm=firm, contact=contact, due_date=TOMORROW)
    on_lead = TaskFactory(firm=firm, contact=contact, lead=lead, due_date=TODAY)
    TaskFactory(firm=firm, contact=ContactFactory(firm=firm))

    assert list(
        selectors.task_list_for(principal=None, firm=firm, contact=contact)
    ) == [
        on_lead,
        later,
        done,
    ]
    assert list(selectors.task_list_for(principal=None, firm=firm, lead=lead)) == [
        on_lead
    ]


def test_list_for_needs_exactly_one_subject(firm):
    """Pass a contact or a lead, not both or neither."""
    with pytest.raises(ValueError, match="exactly one"):
        selectors.task_list_for(principal=None, firm=firm)


def test_get_refuses_another_firms_task(firm, other_firm):
    """Another firm's task id is not found."""
    task = TaskFactory(firm=other_firm)
    with pytest.raises(NotFound):
        selectors.task_get(principal=None, firm=firm, task_id=task.pk)


def test_assignee_choices_are_active_members_plus_the_current_one(
    firm, other_firm, adviser
):
    """Departed members are offered only if the task already has them."""
    gone = MembershipFactory(firm=firm, is_active=False).user
    MembershipFactory(firm=other_firm)
    assert list(selectors.task_assignee_choices(firm=firm)) == [adviser.user]
    assert set(selectors.task_assignee_choices(firm=firm, current_id=gone.pk)) == {
        adviser.user,
        gone,
    }


def test_category_choices_are_active_plus_the_current_one(firm, other_firm):
    """Archived categories are offered only if the task already has one."""
    active = TaskCategoryFactory(firm=firm, name="Admin")
    archived = TaskCategoryFactory(firm=firm, name="Old", is_active=False)
    TaskCategoryFactory(firm=other_firm)
    assert list(selectors.task_category_choices(firm=firm)) == [active]
    assert list(selectors.task_category_choices(firm=firm, current_id=archived.pk)) == [
        active,
        archived,
    ]
