"""The History card drawn in Python reads as ``components/_history.html``."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context
from django.template.loader import get_template

from crm.core.events import history

NASTY = '<b>O\'Brien & "Sons"</b>'
LATE = datetime(2026, 3, 31, 23, 30, 5, 123456, tzinfo=UTC)


def _entry(actor, **extra) -> history.HistoryEntry:
    event = SimpleNamespace(actor=actor, created_at=extra.pop("at", LATE))
    return history.HistoryEntry(event, **extra)


ENTRIES = [
    _entry(None, title="Case opened"),
    _entry(NASTY, title=f"Moved to {NASTY}", reason=f"Because {NASTY}"),
    _entry(
        "Ann Adviser",
        title="Details changed",
        changes={
            NASTY: [NASTY, "new & <improved>"],
            "Owner": [None, "Ann"],
            "Follow-up": ["", None],
            "Amount": [Decimal("1234.50"), 0],
            "Due": [date(2026, 1, 2), True],
        },
    ),
    _entry("Bob", title="Naive moment", at=datetime(2026, 6, 1, 9, 5)),  # noqa: DTZ001 - a naive moment, shown as it is
    _entry("Cy", title="No moment", at=None),
]


@pytest.mark.parametrize("subject", ["case", "lead", "<odd>"])
@pytest.mark.parametrize("count", [0, 1, len(ENTRIES)])
def test_the_card_draws_as_the_template_does(subject, count):
    values = {"history": ENTRIES[:count], "subject": subject}
    templated = get_template("components/_history.html").render(values)
    assert history.draw(Context(values), subject) == templated
    if not count:
        assert "Nothing has happened to this" in templated


@pytest.mark.django_db
def test_the_case_page_draws_its_history(owner_client, firm):
    from crm.cases.tests.factories import make_case

    case = make_case(firm)
    response = owner_client.get(case.get_absolute_url())
    context = response.context[0].flatten()
    drawn = history.draw(Context(context), "case")
    assert drawn == get_template("components/_history.html").render(
        {**context, "subject": "case"}
    )
    assert drawn in response.content.decode()
    assert context["history"]
