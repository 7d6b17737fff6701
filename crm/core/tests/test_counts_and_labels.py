"""Capped counts, the count_cap filter, cached choice labels and list links."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from crm.advice.choices import AdviceStatus
from crm.cases.tests.factories import make_case
from crm.core.listing import sort_links, tab_links
from crm.core.templatetags.casework import count_cap
from crm.tasks import selectors as task_selectors
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_count_cap_shows_the_cap_with_a_plus_past_it():
    assert count_cap(7) == "7"
    assert count_cap(1000) == "1,000"
    assert count_cap(1001) == "1,000+"
    rendered = Template("{% load casework %}{{ n|count_cap }}").render(
        Context({"n": 5000})
    )
    assert rendered == "1,000+"


def test_task_counts_stop_one_past_the_cap(firm, adviser, monkeypatch):
    """Each count reads at most COUNT_CAP + 1 rows, so big firms count fast."""
    monkeypatch.setattr(task_selectors, "COUNT_CAP", 2)
    for _ in range(5):
        TaskFactory(firm=firm, assignee=adviser.user)
    counts = task_selectors.task_counts(principal=None, firm=firm, user=adviser.user)
    assert counts["mine"] == 3


def test_choice_labels_are_cached_but_follow_the_value(firm):
    case = make_case(firm)
    assert case.get_status_display() == "New Lead"
    case.status = AdviceStatus.MEETING
    assert case.get_status_display() == "Meeting"
    case.status = "not-a-status"
    assert case.get_status_display() == "not-a-status"
    with translation.override("en-gb"):
        assert case.get_kind_display() == "Mortgage"


def test_sort_links_toggle_direction_and_keep_filters():
    params = QueryDict("q=ada&page=3&sort=name")
    links = sort_links(params, "name", ["name", "date"])
    assert links["name"]["aria_sort"] == "ascending"
    assert "sort=-name" in links["name"]["url"]
    assert "q=ada" in links["name"]["url"]
    assert "page=" not in links["name"]["url"]
    assert links["date"]["aria_sort"] == ""
    tabs = tab_links(params, "open", [("all", "All"), ("open", "Open")])
    assert [t["active"] for t in tabs] == [False, True]
    assert "tab=open" in tabs[1]["url"]
