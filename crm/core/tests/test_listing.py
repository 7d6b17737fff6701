"""The list toolkit's compiled rows (crm/core/listing.py)."""

from types import SimpleNamespace

import pytest
from django.template import Context

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
