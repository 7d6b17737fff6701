"""Filtering a list replaces the browser history entry (issue 14, item 4).

Search-as-you-type sends a request per pause in typing; pushing a history
entry for each made Back step through every keystroke. Every list's filter
form therefore replaces the current entry, so Back leaves the list at once.
"""

import re

import pytest
from django.urls import reverse

LISTS = [
    "contacts:contact_list",
    "leads:lead_list",
    "leads:lead_board",
    "advice:case_list",
    "support:case_list",
    "tasks:task_list",
    "core:audit_log",
    "firms:introducer_list",
    "support:pathway_list",
]
HTMX_FORM = re.compile(r"<form\b[^>]*\bhx-get=[^>]*>", re.S)


@pytest.fixture
def both_modules(firm):
    firm.has_support = True
    firm.save(update_fields=["has_support"])
    return firm


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", LISTS)
def test_list_filters_replace_the_history_entry(url_name, both_modules, owner_client):
    """The list's htmx filter form replaces the URL and never pushes one."""
    html = owner_client.get(reverse(url_name)).content.decode()
    forms = HTMX_FORM.findall(html)
    assert forms, f"{url_name} has no htmx filter form"
    for form in forms:
        assert 'hx-replace-url="true"' in form
    assert "hx-push-url" not in html
