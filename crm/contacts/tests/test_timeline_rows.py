"""The client record's timeline entries drawn in Python read as the template."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.template import Context
from django.template.loader import get_template

from crm.contacts import timeline_rows
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'
TYPES = ["task_created", "task_completed", "created", "updated"]


def _request(*, can_edit: bool) -> SimpleNamespace:
    permissions = {"edit_cases"} if can_edit else set()
    return SimpleNamespace(membership=SimpleNamespace(permissions=permissions))


@pytest.mark.parametrize("can_edit", [True, False])
def test_entries_draw_as_the_template_does(firm, can_edit):
    contact = ContactFactory(firm=firm)
    actors = [
        UserFactory(first_name=NASTY),
        None,
        UserFactory(first_name="", last_name=""),
    ]
    for i in range(16):
        event = ContactEvent.objects.create(
            firm=firm,
            contact=contact,
            type=TYPES[i % len(TYPES)],
            summary=NASTY if i % 3 else "",
            link=f"/cases/{i}/?a=1&b=<2>" if i % 2 else "",
            actor=actors[i % 3],
        )
        # Winter and summer moments, so the local time differs from UTC.
        moment = datetime(2026, 1 + (i % 12), 3, 23, 30, tzinfo=UTC)
        ContactEvent.objects.filter(pk=event.pk).update(
            created_at=moment + timedelta(minutes=i)
        )
    items = list(ContactEvent.objects.filter(contact=contact).select_related("actor"))
    values = {"items": items, "request": _request(can_edit=can_edit)}
    templated = get_template("contacts/_timeline_items.html").render(values)
    drawn = timeline_rows.draw(Context(values), items)
    # The reference file ends with a newline after its loop; the page has none.
    assert drawn + "\n" == templated
    assert drawn.count("<li>") == 16
    assert ("/cases/1/" in drawn) is can_edit  # a task entry's link
    assert "/cases/7/" in drawn  # another entry's link, for everyone
    assert "+01:00" in drawn  # summer in London
