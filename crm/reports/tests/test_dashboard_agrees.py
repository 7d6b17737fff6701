"""Dashboard task and follow-up numbers equal the Tasks tab counts (C4, J1)."""

import datetime
import html as html_lib
import re

import pytest
from django.utils import timezone

from crm.cases.tests.factories import make_case
from crm.leads.tests.factories import LeadFactory
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def tile_counts(page):
    """Return ``{key: (number, link)}`` for every count badge on the dashboard."""
    found = re.findall(
        r'<a class="badge[^"]*"\s+href="([^"]+)"\s+data-tile-count="(\w+)">([\d,+]+)',
        page,
    )
    return {key: (int(n), html_lib.unescape(href)) for href, key, n in found}


def current_tab_count(page):
    """Return the count on the Tasks page's current tab."""
    tabs = page.split('id="task-tabs"', 1)[1].split("</nav>", 1)[0]
    current = re.search(
        r'aria-current="page">[^<]*<span class="badge[^"]*">(\d+)', tabs
    )
    assert current, tabs
    return int(current.group(1))


def test_dashboard_numbers_agree_with_the_tasks_tabs(login, firm, adviser, manager):
    """SPEC C4, J1: each number on the dashboard's My tasks and My follow-ups
    tiles links to the Tasks tab that lists the same items, and that tab's
    count is the same number."""
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    me, colleague = adviser.user, manager.user
    TaskFactory.create_batch(2, firm=firm, assignee=me, due_date=today)
    TaskFactory.create_batch(3, firm=firm, assignee=me, due_date=yesterday)
    TaskFactory(firm=firm, assignee=me, due_date=today + datetime.timedelta(days=4))
    TaskFactory(firm=firm, assignee=me, due_date=yesterday, status="done")
    TaskFactory.create_batch(2, firm=firm, assignee=colleague, due_date=yesterday)
    LeadFactory.create_batch(2, contact__firm=firm, owner=me, follow_up_date=today)
    LeadFactory(contact__firm=firm, owner=colleague, follow_up_date=yesterday)
    make_case(firm, owner=me, follow_up_date=yesterday)
    make_case(firm, owner=colleague, follow_up_date=yesterday)

    client = login(adviser)
    tiles = tile_counts(client.get("/").content.decode())
    assert {key: n for key, (n, _) in tiles.items()} == {
        "mine": 6,
        "today": 2,
        "overdue": 3,
        "follow_ups": 3,
    }
    for number, link in tiles.values():
        tab_page = client.get(link).content.decode()
        assert current_tab_count(tab_page) == number, link
