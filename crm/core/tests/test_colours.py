"""Status colours are declared on the choices and read by one badge partial."""

import pytest
from django.template.loader import render_to_string

from crm.advice.choices import AdviceStatus
from crm.cases import kinds
from crm.leads.choices import LeadStatus
from crm.support.choices import ConcernLevel, SupportStatus
from crm.tasks.choices import TaskStatus


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        (LeadStatus.NEW_LEAD.colour, "blue"),
        (LeadStatus.CALL_BACK.colour, "amber"),
        (LeadStatus.CONVERTED.colour, "green"),
        (LeadStatus.NOT_PROCEEDING.colour, ""),
        (AdviceStatus.REMORTGAGE.colour, "blue"),
        (AdviceStatus.ON_RISK.colour, "green"),
        (AdviceStatus.DECLINED_BY_PROVIDER.colour, "red"),
        (AdviceStatus.MEETING.colour, ""),
        (SupportStatus.OPEN.colour, "green"),
        (SupportStatus.CLOSED.colour, ""),
        (TaskStatus.DONE.colour, "green"),
        (ConcernLevel.URGENT.colour, "concern-urgent"),
        (kinds.status_colour("mortgage", "completed"), "green"),
        (kinds.status_colour("support", "open"), "green"),
        (kinds.status_colour("nope", "open"), ""),
    ],
)
def test_each_choice_declares_its_badge_colour(colour, expected):
    """The colours match what the templates used to hard-code."""
    assert colour == expected


def test_the_badge_partial_draws_the_declared_colour():
    """One partial turns a colour into its badge style; no colour, a plain badge."""
    html = render_to_string(
        "components/_badge.html", {"colour": "amber", "label": "Call Back"}
    )
    assert '<span class="badge badge--amber">Call Back</span>' in html
    plain = render_to_string("components/_badge.html", {"label": "Meeting"})
    assert '<span class="badge">Meeting</span>' in plain
