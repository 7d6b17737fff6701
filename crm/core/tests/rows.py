"""Draw a list's rows in Python and by its templates (``crm.core.rows``).

A list whose columns all have drawers no longer renders its cell templates;
each such list has a test that opens the page and its htmx results twice,
once as served and once with the rows left to the templates, and compares.
"""

import re

import pytest
from django.test import Client

from crm.core.listing import ListSpec

# What differs between two requests for the same page.
_PER_REQUEST = (
    (re.compile(rb'nonce="[^"]*"'), b'nonce="-"'),
    (
        re.compile(rb'csrfmiddlewaretoken" value="[^"]*"'),
        b'csrfmiddlewaretoken" value="-"',
    ),
    (re.compile(rb'"X-CSRFToken": "[^"]*"'), b'"X-CSRFToken": "-"'),
    (re.compile(rb"(after|before)=[A-Za-z0-9_%.:-]+"), rb"\1=-"),
)


def _page(client: Client, url: str, *, htmx: bool) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    content = response.content
    for pattern, blank in _PER_REQUEST:
        content = pattern.sub(blank, content)
    return content.decode()


def both_ways(
    client: Client, url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[str], list[str]]:
    """Return ``url``'s page and htmx results as served, and drawn by templates."""
    drawn = [_page(client, url, htmx=htmx) for htmx in (False, True)]
    with monkeypatch.context() as patch:
        patch.setattr(ListSpec, "row_drawer", None)
        templated = [_page(client, url, htmx=htmx) for htmx in (False, True)]
    return drawn, templated
