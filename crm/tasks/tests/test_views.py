"""The Tasks page, adding, editing and one-click complete (J1, C4)."""

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.core.models import AuditEvent
from crm.firms.tests.factories import TaskCategoryFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks import selectors, services
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 12)
YESTERDAY = TODAY - datetime.timedelta(days=1)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _today(time_machine):
    """Pin today to Wednesday 12 March 2025."""
    time_machine.move_to(
        datetime.datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )


def text(response):
    return response.content.decode()


def tab_counts(html):
    """Return ``{tab label: count}`` from the rendered tabs."""
    found = re.findall(
        r">\s*(My tasks|Firm: due today|Firm: overdue|Firm: all tasks|My follow-ups)"
        r'\s*(?:<span class="badge[^"]*">(\d+))?',
        html.split('id="task-tabs"', 1)[1].split("</nav>", 1)[0],
    )
    return {label: int(count) if count else None for label, count in found}


# The Tasks page


def test_tabs_show_counts_and_mark_the_current_one(adviser_client, firm, adviser):
    """Each tab links with its open count; the current one has aria-current."""
    TaskFactory(firm=firm, assignee=adviser.user, due_date=TODAY)
    TaskFactory(firm=firm, assignee=adviser.user, due_date=YESTERDAY)
    TaskFactory(firm=firm, due_date=YESTERDAY)

    html = text(adviser_client.get("/tasks/", {"tab": "overdue"}))
    assert tab_counts(html) == {
        "My tasks": 2,
        "Firm: due today": 1,
        "Firm: overdue": 2,
        "Firm: all tasks": None,
        "My follow-ups": 0,
    }
    assert re.search(r'href="\?tab=overdue"[^>]*aria-current="page"', html)
    assert html.count('aria-current="page"') == 2  # the tab and the sidebar item


def test_due_today_tab_lists_a_task_added_for_today(adviser_client, adviser, firm):
    """A task due today is under Due today and not under Overdue."""
    TaskFactory(firm=firm, title="Ring the lender", due_date=TODAY)
    assert "Ring the lender" in text(adviser_client.get("/tasks/?tab=today"))
    assert "Ring the lender" not in text(adviser_client.get("/tasks/?tab=overdue"))


def test_overdue_rows_have_a_badge_and_a_row_class(adviser_client, adviser, firm):
    """Overdue is said in words, not only by colour."""
    late = TaskFactory(firm=firm, assignee=adviser.user, due_date=YESTERDAY)
    html = text(adviser_client.get("/tasks/"))
    row = html.split(f'id="task-{late.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "task-row--overdue" in html.split(f'id="task-{late.pk}"', 1)[1][:80]
    assert "Overdue</span>" in row


@pytest.mark.parametrize(
    ("tab", "message"),
    [
        ("mine", "You have no open tasks"),
        ("today", "Nothing is due today"),
        ("overdue", "Nothing is overdue"),
        ("all", "No tasks yet"),
    ],
)
def test_each_tab_has_its_own_empty_state(adviser_client, tab, message):
    """An empty tab explains itself."""
    assert message in text(adviser_client.get("/tasks/", {"tab": tab}))


def test_filters_narrow_the_list_and_explain_no_match(adviser_client, adviser, firm):
    """Filtering by category shows only that category's tasks."""
    category = TaskCategoryFactory(firm=firm, name="Compliance")
    # Made before the first request: the process then keeps the category list
    # (a factory, unlike the category services, does not move its version).
    empty = TaskCategoryFactory(firm=firm)
    TaskFactory(firm=firm, assignee=adviser.user, title="File check", category=category)
    TaskFactory(firm=firm, assignee=adviser.user, title="Call client")
    html = text(adviser_client.get("/tasks/", {"category": category.pk}))
    assert "File check" in html
    assert "Call client" not in html
    html = text(adviser_client.get("/tasks/", {"category": empty.pk}))
    assert "No tasks match these filters" in html


def test_unknown_tab_and_filters_fall_back_to_defaults(adviser_client):
    """A hand-edited URL shows My tasks instead of an error."""
    response = adviser_client.get("/tasks/", {"tab": "x", "assignee": "abc"})
    assert response.status_code == 200
    assert re.search(r'href="\?tab=mine"[^>]*aria-current="page"', text(response))


def test_never_lists_another_firms_tasks(adviser_client, other_firm):
    """Another firm's tasks are not on any tab."""
    TaskFactory(firm=other_firm, title="Secret task", due_date=TODAY)
    for tab in ("mine", "today", "overdue", "all"):
        assert "Secret task" not in text(adviser_client.get("/tasks/", {"tab": tab}))


def test_htmx_filter_returns_results_and_tab_counts(adviser_client, adviser, firm):
    """A filter change swaps the results; the tab counts come out of band."""
    TaskFactory(firm=firm, assignee=adviser.user, title="Mine")
    html = text(adviser_client.get("/tasks/", {"tab": "all"}, headers=HTMX))
    assert "<html" not in html
    assert "Mine" in html
    assert 'id="task-tabs"' in html
    assert 'hx-swap-oob="true"' in html


def test_support_firm_has_no_follow_ups_tab(support_firm, login):
    """C4: firms without the advice module have no leads, so no My follow-ups tab."""
    from crm.firms.tests.factories import MembershipFactory

    client = login(MembershipFactory(firm=support_firm))
    html = text(client.get("/tasks/"))
    assert "My follow-ups" not in html
    assert "tab=follow_ups" not in html


def _rows(firm, user, n):
    """Make ``n`` of the user's tasks, linked to contacts, leads and categories."""
    category = TaskCategoryFactory(firm=firm)
    for i in range(n):
        lead = LeadFactory(contact__firm=firm, owner=user, follow_up_date=YESTERDAY)
        TaskFactory(
            firm=firm,
            assignee=user,
            category=category,
            contact=lead.contact,
            lead=lead if i % 2 else None,
            due_date=YESTERDAY if i % 3 else TODAY,
            status="done" if i == 1 else "open",
        )


@pytest.mark.parametrize("rows", [3, 9])
def test_tasks_page_query_count_is_constant(
    rows, adviser_client, adviser, firm, django_assert_num_queries
):
    """Session, user with memberships; three capped tab counts; the follow-ups
    count; page. The process keeps the member and category lists after the
    first request (12, then 11 with the dashboard's two counts too, then 9
    with the categories read: issue 21 item 1)."""
    _rows(firm, adviser.user, rows)
    adviser_client.get("/tasks/")
    with django_assert_num_queries(7):
        response = adviser_client.get("/tasks/", {"tab": "all", "status": "all"})
    assert response.status_code == 200
    assert text(response).count('class="task-row') == rows


@pytest.mark.parametrize("rows", [3, 9])
def test_htmx_filter_query_count_is_constant(
    rows, adviser_client, adviser, firm, django_assert_num_queries
):
    """The filter fragment: the page's queries, its tabs' counts included."""
    _rows(firm, adviser.user, rows)
    adviser_client.get("/tasks/")  # the process now keeps the pickers' lists
    with django_assert_num_queries(7):
        response = adviser_client.get("/tasks/", {"tab": "all"}, headers=HTMX)
    assert response.status_code == 200


def test_read_only_member_sees_tasks_but_no_buttons(read_only, login, firm):
    """Reading needs no permission; the write buttons are hidden."""
    TaskFactory(firm=firm, title="Visible", due_date=TODAY)
    html = text(login(read_only).get("/tasks/?tab=today"))
    assert "Visible" in html
    assert "+ New task" not in html
    assert "Complete" not in html


# One-click complete and reopen


def test_complete_through_htmx_returns_the_row_and_new_counts(
    adviser_client, adviser, firm
):
    """The row comes back done, and the tabs are updated out of band."""
    task = TaskFactory(firm=firm, assignee=adviser.user, due_date=YESTERDAY)
    TaskFactory(firm=firm, assignee=adviser.user, due_date=TODAY)
    response = adviser_client.post(
        f"/tasks/{task.pk}/complete/",
        {"tab": "mine", "status": "open", "next": "/tasks/"},
        headers=HTMX,
    )
    html = text(response)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="task-{task.pk}"')
    assert "Done</span>" in html
    assert "Reopen" in html
    assert "task-row--overdue" not in html
    assert 'hx-swap-oob="true"' in html
    assert tab_counts(html)["My tasks"] == 1
    assert tab_counts(html)["Firm: overdue"] == 0
    task.refresh_from_db()
    assert task.status == "done"


@pytest.mark.parametrize("rows", [3, 9])
def test_complete_through_htmx_query_count_is_constant(
    rows, adviser_client, adviser, firm, django_assert_num_queries
):
    """Load, membership check, save, audit, tab choices and counts: fixed."""
    _rows(firm, adviser.user, rows)
    contact = ContactFactory(firm=firm)
    task = TaskFactory(firm=firm, assignee=adviser.user, contact=contact)
    # 16, then one for the follow-ups tab's count and one for the audit hash
    # chain's head (A7); completing validates only the new status, so the
    # task's firm, assignee, client and creator are not read again (was 22);
    # the tabs count three, not the dashboard's five (was 18).
    with django_assert_num_queries(15):
        response = adviser_client.post(
            f"/tasks/{task.pk}/complete/", {"tab": "mine"}, headers=HTMX
        )
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "abc"])
def test_complete_through_htmx_ignores_invalid_filter_ids(
    adviser_client, adviser, firm, value
):
    """Junk or too-large assignee and category ids fall back to no filter."""
    task = TaskFactory(firm=firm, assignee=adviser.user)
    response = adviser_client.post(
        f"/tasks/{task.pk}/complete/",
        {"tab": "all", "assignee": value, "category": value},
        headers=HTMX,
    )
    html = text(response)
    assert response.status_code == 200
    assert tab_counts(html)["My tasks"] == 0
    assert "assignee=" not in html
    assert "category=" not in html
    task.refresh_from_db()
    assert task.status == "done"


@pytest.mark.parametrize("verb", ["complete", "reopen", "edit"])
def test_task_id_too_large_for_the_database_is_not_found(adviser_client, verb):
    """A task id above 2**63 - 1 in the URL answers 404."""
    response = adviser_client.post(f"/tasks/{2**64}/{verb}/", headers=HTMX)
    assert response.status_code == 404


def test_complete_without_javascript_goes_back_to_next(adviser_client, firm):
    """The plain form posts and returns to the page it came from."""
    contact = ContactFactory(firm=firm)
    task = TaskFactory(firm=firm, contact=contact)
    next_url = f"/clients/{contact.pk}/"
    response = adviser_client.post(f"/tasks/{task.pk}/complete/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert ContactEvent.objects.filter(type="task_completed").count() == 1


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_complete_ignores_an_unsafe_next(adviser_client, firm, next_url):
    """Only local paths are followed after saving."""
    task = TaskFactory(firm=firm)
    response = adviser_client.post(f"/tasks/{task.pk}/complete/", {"next": next_url})
    assert response["Location"] == "/tasks/"


def test_completing_a_done_task_says_so(adviser_client, firm):
    """A second click (say, from a stale page) explains instead of failing."""
    task = TaskFactory(firm=firm, status="done")
    response = adviser_client.post(f"/tasks/{task.pk}/complete/", follow=True)
    assert "This task is already done." in text(response)


def test_reopen_through_htmx_returns_an_open_row(adviser_client, adviser, firm):
    """Reopen undoes a mistaken complete, in place."""
    task = TaskFactory(firm=firm, assignee=adviser.user, status="done")
    html = text(
        adviser_client.post(f"/tasks/{task.pk}/reopen/", {"tab": "all"}, headers=HTMX)
    )
    assert "Complete" in html
    assert tab_counts(html)["My tasks"] == 1
    task.refresh_from_db()
    assert task.status == "open"


def test_read_only_member_is_refused_every_write(read_only, login, firm):
    """Writes need EDIT_CASES: 403 and nothing changes."""
    client = login(read_only)
    task = TaskFactory(firm=firm, title="Keep")
    assert client.get("/tasks/new/").status_code == 403
    assert client.post("/tasks/new/", {"title": "X"}).status_code == 403
    edit = {"title": "Changed", "priority": "normal"}
    assert client.post(f"/tasks/{task.pk}/edit/", edit).status_code == 403
    assert client.post(f"/tasks/{task.pk}/complete/").status_code == 403
    assert client.post(f"/tasks/{task.pk}/reopen/").status_code == 403
    task.refresh_from_db()
    assert task.status == "open"
    assert task.title == "Keep"
    assert not AuditEvent.objects.exists()


def test_read_only_member_can_open_a_task_from_the_timeline(read_only, login, firm):
    """The timeline's task link opens a read-only page: disabled fields, no buttons."""
    contact = ContactFactory(firm=firm)
    TaskFactory(firm=firm, contact=contact)
    task = services.task_create(
        firm=firm,
        actor=read_only.user,
        title="Send fact find",
        description="",
        due_date=None,
        assignee=None,
        priority="normal",
        category=None,
        contact=contact,
    )
    link = ContactEvent.objects.get(contact=contact).link
    response = login(read_only).get(link)
    html = text(response)
    assert response.status_code == 200
    assert link == f"/tasks/{task.pk}/edit/"
    assert "<h1>Task</h1>" in html
    assert re.search(
        r'<input type="text" name="title" value="Send fact find"[^>]* disabled', html
    )
    assert "Save task" not in html
    assert "Mark as done" not in html


# Adding and editing


def test_new_task_defaults_to_me_and_today(adviser_client, adviser):
    """The form starts with the current member as assignee and today's date."""
    html = text(adviser_client.get("/tasks/new/"))
    assert re.search(rf'<option value="{adviser.user_id}" selected>', html)
    assert 'value="2025-03-12"' in html
    assert '<label for="id_title">' in html
    assert html.count("<h1>") == 1


def test_new_task_from_a_contact_shows_the_link(adviser_client, firm):
    """?contact= pre-links the task; a hidden input carries the id."""
    contact = ContactFactory(firm=firm, first_name="Ada", last_name="Byron")
    html = text(adviser_client.get("/tasks/new/", {"contact": contact.pk}))
    assert "About <a" in html
    assert "Ada Byron" in html
    assert f'<input type="hidden" name="contact" value="{contact.pk}">' in html


def test_new_task_from_a_lead_shows_the_link(adviser_client, firm):
    """?lead= pre-links the task to the lead."""
    lead = LeadFactory(contact__firm=firm, contact__first_name="Lena")
    html = text(adviser_client.get("/tasks/new/", {"lead": lead.pk}))
    assert "About the lead for" in html
    assert f'<input type="hidden" name="lead" value="{lead.pk}">' in html


@pytest.mark.parametrize("kind", ["contact", "lead", "bad"])
def test_new_task_for_another_firms_record_is_not_found(
    adviser_client, other_firm, kind
):
    """Another firm's contact or lead id, or a junk id, answers 404."""
    value = {
        "contact": lambda: ContactFactory(firm=other_firm).pk,
        "lead": lambda: LeadFactory(contact__firm=other_firm).pk,
        "bad": lambda: "12x",
    }[kind]()
    param = "contact" if kind == "bad" else kind
    assert adviser_client.get("/tasks/new/", {param: value}).status_code == 404
    assert adviser_client.post("/tasks/new/", {param: value}).status_code == 404


@pytest.mark.parametrize("param", ["contact", "lead"])
@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1", "0"])
def test_new_task_with_an_invalid_id_is_not_found(adviser_client, param, value):
    """A non-ASCII digit, a sign, zero or an id above 2**63 - 1 answers 404."""
    assert adviser_client.get("/tasks/new/", {param: value}).status_code == 404
    data = {param: value, "title": "X", "priority": "normal"}
    assert adviser_client.post("/tasks/new/", data).status_code == 404
    assert not Task.objects.exists()


def test_adding_a_task_for_a_contact_saves_and_returns(adviser_client, adviser, firm):
    """Saving creates the linked task and returns to the safe next URL."""
    contact = ContactFactory(firm=firm)
    response = adviser_client.post(
        "/tasks/new/",
        {
            "title": "Send fact find",
            "due_date": "2025-03-12",
            "assignee": adviser.user_id,
            "priority": "high",
            "contact": contact.pk,
            "next": f"/clients/{contact.pk}/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{contact.pk}/"
    task = Task.objects.get()
    assert (task.contact, task.priority, task.created_by) == (
        contact,
        "high",
        adviser.user,
    )
    assert ContactEvent.objects.get(contact=contact).type == "task_created"


def test_adding_a_task_for_a_lead_returns_to_the_lead(adviser_client, adviser, firm):
    """Without next, a lead's task returns to the lead page."""
    lead = LeadFactory(contact__firm=firm)
    response = adviser_client.post(
        "/tasks/new/",
        {"title": "Call", "priority": "normal", "lead": lead.pk},
    )
    assert response["Location"] == f"/leads/{lead.pk}/"
    assert Task.objects.get().lead == lead


def test_form_errors_keep_what_was_typed(adviser_client, firm):
    """A missing title is explained and the other fields keep their values."""
    response = adviser_client.post(
        "/tasks/new/",
        {
            "title": "",
            "description": "Remember the P60",
            "due_date": "2025-04-01",
            "priority": "low",
        },
    )
    html = text(response)
    assert response.status_code == 200
    assert "The task was not saved" in html
    assert "This field is required." in html
    assert "Remember the P60" in html
    assert 'value="2025-04-01"' in html
    assert '<option value="low" selected>' in html
    assert 'aria-invalid="true"' in html
    assert not Task.objects.exists()


def test_service_refusal_is_shown_on_the_form(adviser_client, firm):
    """A whitespace-only title passes the form but the service refuses it."""
    html = text(adviser_client.post("/tasks/new/", {"title": "  ", "priority": "low"}))
    assert "Enter a title." in html or "This field is required." in html
    assert not Task.objects.exists()


def test_editing_a_task_saves_and_returns_to_next(adviser_client, adviser, firm):
    """The edit form is filled from the task and saves changes."""
    task = TaskFactory(firm=firm, title="Old", assignee=adviser.user)
    html = text(adviser_client.get(f"/tasks/{task.pk}/edit/"))
    assert 'value="Old"' in html
    response = adviser_client.post(
        f"/tasks/{task.pk}/edit/",
        {
            "title": "New",
            "priority": "normal",
            "assignee": adviser.user_id,
            "next": "/tasks/?tab=all",
        },
    )
    assert response["Location"] == "/tasks/?tab=all"
    task.refresh_from_db()
    assert task.title == "New"
    assert task.due_date is None


# The partials other pages include


def _render(template, request, **context):
    return render_to_string(template, context | {"request": request})


@pytest.fixture
def staff_request(adviser):
    request: Any = RequestFactory().get("/clients/1/")
    request.user = adviser.user
    request.membership = adviser
    request.firm = adviser.firm
    return request


@pytest.mark.parametrize("rows", [3, 9])
def test_contact_partial_renders_in_one_query(
    rows, firm, staff_request, django_assert_num_queries
):
    """The client record's tasks list needs one query whatever its length."""
    contact = ContactFactory(firm=firm)
    for i in range(rows):
        TaskFactory(
            firm=firm,
            contact=contact,
            assignee=staff_request.user,
            category=TaskCategoryFactory(firm=firm),
            due_date=YESTERDAY if i else None,
        )
    tasks = selectors.task_list_for(principal=None, firm=firm, contact=contact)
    with django_assert_num_queries(1):
        html = _render(
            "tasks/_for_contact.html", staff_request, contact=contact, tasks=tasks
        )
    assert html.count('class="task-row') == rows
    assert f"/tasks/new/?contact={contact.pk}&amp;next=/clients/1/" in html
    assert "Overdue</span>" in html


@pytest.mark.parametrize("rows", [3, 9])
def test_lead_partial_renders_in_one_query(
    rows, firm, staff_request, django_assert_num_queries
):
    """The lead page's tasks list needs one query whatever its length."""
    lead = LeadFactory(contact__firm=firm)
    for _ in range(rows):
        TaskFactory(firm=firm, lead=lead, contact=lead.contact, assignee=None)
    tasks = selectors.task_list_for(principal=None, firm=firm, lead=lead)
    with django_assert_num_queries(1):
        html = _render("tasks/_for_lead.html", staff_request, lead=lead, tasks=tasks)
    assert html.count('class="task-row') == rows
    assert f"/tasks/new/?lead={lead.pk}" in html


def test_partials_have_an_empty_state(firm, staff_request):
    """No tasks: a short sentence instead of an empty list."""
    contact = ContactFactory(firm=firm)
    html = _render("tasks/_for_contact.html", staff_request, contact=contact, tasks=[])
    assert "No tasks for this client." in html


def test_a_lead_task_names_the_leads_client_read_once(adviser_client, adviser, firm):
    """J1, issue 21: a task about a lead links to the lead with its client's
    name, taken from the task's own client (set from the lead when the task
    was added), so the list joins the contacts table once."""
    lead = LeadFactory(contact__firm=firm, contact__first_name="Lena")
    task = TaskFactory(
        firm=firm, assignee=adviser.user, contact=lead.contact, lead=lead
    )
    html = text(adviser_client.get("/tasks/", {"tab": "mine"}))
    link = f'<a href="/leads/{lead.pk}/">{lead.contact.display_name}</a>'
    assert link in html
    qs = selectors.task_list(firm=firm, tab="mine", user=adviser.user, principal=None)
    assert str(qs.query).count('JOIN "contacts_contact"') == 1
    assert list(qs) == [task]
