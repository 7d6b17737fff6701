"""The list toolkit's compiled rows (crm/core/listing.py)."""

from types import SimpleNamespace

import pytest
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import IncludeNode

from crm.core.listing import Column, row_of


def test_a_row_is_one_template_built_from_the_columns(settings):
    """Cells join into one template: attributes with defaults, escaped."""
    columns = (
        Column("Name", attr="name", default="—", classes="nowrap"),
        Column("Town", attr="place.town", default="—"),
    )
    row = SimpleNamespace(name="Ann <b>", place=SimpleNamespace(town=""))
    html = row_of(columns).render(Context({"row": row}))
    assert html == '<tr><td class="nowrap">Ann &lt;b&gt;</td><td>—</td></tr>'
    settings.DEBUG = False
    assert row_of(columns) is row_of(columns)
    with pytest.raises(ValueError, match="Bad cell attribute"):
        row_of((Column("X", attr="name|safe"),))


def test_a_cell_template_is_rendered_inside_the_row():
    """A partial cell template's nodes render in the row's own context."""
    columns = (Column("Added", template="contacts/contact_list.html#added"),)
    row = SimpleNamespace(created_at=None)
    html = row_of(columns).render(Context({"row": row}))
    assert html.startswith("<tr><td>")
    assert html.endswith("</td></tr>")


def _case_row():
    return SimpleNamespace(
        status_colour="blue", get_status_display="Call back <soon>", pk=1
    )


def test_included_cell_templates_are_drawn_in_place(settings):
    """An include chain in a cell (status, then badge) is inlined: the same HTML."""
    settings.DEBUG = True  # built afresh, not from the cache
    columns = (Column("Status", template="advice/case_list.html#status"),)
    row = row_of(columns)
    assert row.nodelist.get_nodes_by_type(IncludeNode) == []
    partial = get_template("advice/case_list.html#status")
    expected = "<tr><td>" + partial.render({"row": _case_row()}) + "</td></tr>"
    assert row.render(Context({"row": _case_row()})) == expected
    assert 'badge badge--blue">Call back &lt;soon&gt;</span>' in expected


LOCMEM = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "cell.html": '{% include "stripe.html" with n=row.n %}',
                        "stripe.html": "{% cycle 'odd' 'even' %}{{ n }}",
                    },
                )
            ]
        },
    }
]


def test_an_include_that_keeps_render_state_stays_an_include(settings):
    """A template with ``{% cycle %}`` stays an include: each row starts afresh."""
    settings.DEBUG = True
    settings.TEMPLATES = LOCMEM
    row = row_of((Column("Stripe", template="cell.html"),))
    assert len(row.nodelist.get_nodes_by_type(IncludeNode)) == 1
    drawn = [row.render(Context({"row": SimpleNamespace(n=i)})) for i in (1, 2)]
    assert drawn == ["<tr><td>odd1</td></tr>", "<tr><td>odd2</td></tr>"]
