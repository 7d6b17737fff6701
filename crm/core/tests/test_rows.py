"""Rows drawn in Python (crm/core/rows.py) against the templates they replace."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from crm.core import rows
from crm.core.listing import Column, ListSpec, row_of

NASTY = '<b>O\'Brien & "Sons"</b>'


def _page(**context):
    return rows.RowPage(Context(context))


def test_attribute_cells_draw_as_the_compiled_row():
    """``attr`` columns draw as ``{{ row.<attr>|default:... }}`` for any value."""
    columns = (
        Column("Name", attr="name", default="—", classes="nowrap"),
        Column("Town", attr="place.town", default='Nowhere "yet"'),
        Column("Count", attr="count"),
        Column("Shout", attr="shout"),
    )
    spec = ListSpec("x", "X", "X", "X", "X", columns, "")
    draw = spec.row_drawer
    assert draw is not None
    values = [
        SimpleNamespace(name=NASTY, place=SimpleNamespace(town=""), count=3),
        SimpleNamespace(name="", place=None, count=0, shout=lambda: NASTY),
        SimpleNamespace(name=None, count=None, shout=mark_safe("<i>ok</i>")),
        {"name": "Dict & co", "place": {"town": "Leeds"}, "count": 7},
    ]
    for value in values:
        expected = row_of(columns).render(Context({"row": value}))
        assert draw(value, _page()) == expected


def test_a_list_is_drawn_in_python_only_when_every_column_can_be():
    """One column with a template and no drawer leaves the whole row to templates."""
    drawn = Column("A", template="x.html#a", draw=lambda row, page: "a")
    plain = Column("B", template="x.html#b")
    assert ListSpec("x", "X", "X", "X", "X", (drawn,), "").row_drawer is not None
    assert ListSpec("x", "X", "X", "X", "X", (drawn, plain), "").row_drawer is None
    spec = ListSpec("x", "X", "X", "X", "X", (drawn,), "", row_template="x.html#r")
    assert spec.row_drawer is None


def test_links_are_reversed_once_and_drawn_as_url_draws_them():
    """``RowPage.url`` is ``{% url %}``: the route reversed, with the id put in."""
    page = _page()
    for pk in (1, 42, 2147483646):
        expected = reverse("contacts:contact_detail", kwargs={"contact_id": pk})
        assert page.url("contacts:contact_detail", "contact_id", pk) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        datetime(2024, 1, 31, 23, 30, tzinfo=UTC),
        datetime(2024, 6, 30, 23, 30, tzinfo=UTC),  # the next day in London
        datetime(2024, 3, 31, 0, 59, 59, 123456, tzinfo=UTC),
    ],
)
def test_a_timestamp_draws_as_the_created_cell(value):
    """``created`` is a list's ``created`` cell, in London time."""
    template = get_template("advice/case_list.html#created")
    expected = template.render({"row": SimpleNamespace(created_at=value)})
    assert rows.created(value, _page()) == expected


@pytest.mark.parametrize("state", ["", "overdue", "due", "later"])
@pytest.mark.parametrize("day", [None, date(2026, 2, 3)])
def test_a_follow_up_draws_as_its_template(state, day):
    """``follow_up`` is ``components/_follow_up.html``, with its two badges."""
    item = SimpleNamespace(follow_up_date=day, follow_up_state=state)
    expected = get_template("components/_follow_up.html").render({"item": item})
    assert rows.follow_up(item, _page()) == expected


@pytest.mark.parametrize("colour", ["", "red", None, "a<b"])
def test_a_badge_draws_as_its_template(colour):
    """``badge`` is ``components/_badge.html``."""
    context = {"colour": colour, "label": NASTY}
    expected = get_template("components/_badge.html").render(context)
    assert rows.badge(colour, NASTY) == expected


def test_today_is_the_pages_else_the_local_date():
    """A page's ``today`` is the view's, so rows and the rest of the page agree."""
    day = timezone.localdate() - timedelta(days=1)
    assert _page(today=day).today == day
    assert _page().today == timezone.localdate()


@pytest.mark.parametrize("language", ["en-gb", "fr", "de"])
def test_a_rows_day_is_the_date_filters_in_the_active_language(language):
    """``RowPage.day`` reads the language once a page; the text is the filter's."""
    from django.template.defaultfilters import date as django_date
    from django.utils import translation

    with translation.override(language):
        page = rows.RowPage(Context({}))
        for value in (date(2026, 3, 5), date(2026, 12, 31)):
            assert page.day(value) == django_date(value, "j M Y")
