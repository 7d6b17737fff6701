"""The Tasks page's FilterSet: a typed query; junk is dropped with its error shown."""

import datetime
import re
from html import unescape as html_unescape
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from crm.core.http import MAX_ID
from crm.firms import services as firm_services
from crm.firms.tests.factories import TaskCategoryFactory
from crm.tasks.filters import TaskFilterSet
from crm.tasks.selectors import TaskListQuery
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

LIST = "/tasks/"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        datetime.datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )


def parse(query: str, firm) -> TaskFilterSet:
    return TaskFilterSet(QueryDict(query), firm=firm)


def test_valid_filters_become_a_typed_query(firm, adviser):
    """The tab and every valid filter land in the typed query."""
    category = TaskCategoryFactory(firm=firm)
    filterset = parse(
        f"tab=all&assignee={adviser.user_id}&category={category.pk}&status=done", firm
    )
    assert filterset.query() == TaskListQuery(
        tab="all", assignee_id=adviser.user_id, category_id=category.pk, status="done"
    )
    assert filterset.is_filtered is True


def test_no_query_string_is_my_open_tasks(firm):
    """An unbound FilterSet opens My tasks, open ones, unfiltered."""
    filterset = TaskFilterSet(None, firm=firm)
    assert filterset.query() == TaskListQuery()
    assert filterset.is_filtered is False


def test_a_filter_the_tab_ignores_does_not_count_as_filtering(firm, adviser):
    """My tasks ignores the assignee, Overdue the status: the tab's own empty state."""
    assert parse(f"tab=mine&assignee={adviser.user_id}", firm).is_filtered is False
    assert parse("tab=overdue&status=done", firm).is_filtered is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("assignee=abc", "assignee"),
        (f"assignee={MAX_ID + 1}", "assignee"),
        ("assignee=%C2%B2", "assignee"),
        ("assignee=1%00", "assignee"),
        ("category=-3", "category"),
        ("category=99999999999999999999", "category"),
        ("status=someday", "status"),
        ("status=%00", "status"),
    ],
)
def test_a_junk_value_is_ignored_with_the_error_on_its_field(firm, query, field):
    """A bad value is left out of the query and its error is on its field."""
    filterset = parse(f"tab=all&{query}", firm)
    assert field in filterset.form.errors
    assert filterset.query() == TaskListQuery(tab="all")
    assert filterset.is_filtered is False


def test_unknown_tab_falls_back_to_my_tasks(firm):
    """A tab the page does not know opens My tasks."""
    assert parse("tab=%00", firm).query().tab == "mine"


@pytest.mark.parametrize(
    "query", ["assignee=abc", f"category={MAX_ID + 1}", "status=%C2%B2", "tab=x%00"]
)
def test_a_junk_filter_lists_the_tab_and_shows_the_error(
    adviser_client, adviser, firm, query
):
    """The page answers 200 with the tab's tasks, and tab links drop the junk."""
    TaskFactory(firm=firm, assignee=adviser.user, title="First task")
    TaskFactory(firm=firm, assignee=adviser.user, title="Second task")
    response = adviser_client.get(f"{LIST}?{query}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "First task" in body
    assert "Second task" in body
    tabs = body.split('id="task-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "abc" not in tabs
    assert "%C2%B2" not in tabs


def test_the_error_is_shown_next_to_its_field(adviser_client):
    """An invalid category is reported next to its filter."""
    body = adviser_client.get(LIST, {"tab": "all", "category": "abc"}).content.decode()
    assert 'id="id_category_error"' in body
    assert 'aria-describedby="id_category_error"' in body


def test_counts_over_the_cap_read_as_capped(adviser_client, adviser, firm, monkeypatch):
    """A tab count past the cap shows as "<cap>+" ("1,000+"), said as open tasks."""
    from crm.core.templatetags import casework
    from crm.tasks import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    monkeypatch.setattr(casework, "COUNT_CAP", 2)
    TaskFactory.create_batch(3, firm=firm, assignee=adviser.user)
    body = adviser_client.get(LIST).content.decode()
    tabs = body.split('id="task-tabs"', 1)[1].split("</nav>", 1)[0]
    assert '2+<span class="sr-only"> open</span>' in tabs


# The category filter's list, kept per process (crm.firms.selectors.choice_cache)


def _categories(client) -> list[str]:
    """Return the category filter's option labels, in order, on the Tasks page."""
    html = client.get(LIST).content.decode()
    select = re.search(r'<select name="category".*?</select>', html, re.S)
    assert select is not None
    return [
        html_unescape(label.strip())
        for value, label in re.findall(
            r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0)
        )
        if value
    ]


def test_added_category_is_offered_on_the_next_request(firm, owner, owner_client):
    """The list is kept after one request; adding a category moves the
    firm's version, so the next request offers it."""
    before = _categories(owner_client)
    firm_services.task_category_create(firm=firm, actor=owner.user, name="Zebra")
    assert _categories(owner_client) == [*before, "Zebra"]


def test_renamed_category_shows_the_new_name_on_the_next_request(
    firm, owner, owner_client
):
    """Renaming a category moves the version: the filter shows the new name."""
    category = TaskCategoryFactory(firm=firm, name="Aardvark")
    assert "Aardvark" in _categories(owner_client)
    firm_services.task_category_rename(
        firm=firm, actor=owner.user, task_category=category, name="Zz renamed"
    )
    shown = _categories(owner_client)
    assert "Aardvark" not in shown
    assert shown[-1] == "Zz renamed"


def test_archived_category_moves_after_the_active_ones_on_the_next_request(
    firm, owner, owner_client
):
    """The filter still offers an archived category (its tasks stay findable),
    after the active ones; archiving moves the version."""
    category = TaskCategoryFactory(firm=firm, name="Aaa first")
    TaskCategoryFactory(firm=firm, name="Bbb second")
    assert _categories(owner_client) == ["Aaa first", "Bbb second"]
    firm_services.task_category_set_active(
        firm=firm, actor=owner.user, task_category=category, active=False
    )
    assert _categories(owner_client) == ["Bbb second", "Aaa first"]
