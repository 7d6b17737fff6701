"""The concern trend drawn in Python is the template's drawing (I14)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template.loader import get_template

from crm.firms.tests.factories import UserFactory
from crm.support import trend

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 1, 2, 10, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 2, 23, 30, tzinfo=UTC)  # the next day in London


def _trends() -> list[trend.TrendChart]:
    user = UserFactory(first_name="Ann <&>", last_name="O'Neil")
    one = [trend.Step(start=SUMMER, level="low", label="Low")]
    several = [
        trend.Step(start=WINTER, level="medium", label="Medium"),
        trend.Step(
            start=WINTER + timedelta(days=3),
            level="urgent",
            label="Urgent",
            reason='Worse <script>"now"</script> & more',
            actor=user,
        ),
        trend.Step(start=SUMMER, level="high", label="High", reason="", actor=None),
        trend.Step(start=SUMMER, level="odd", label="odd <level>", reason="x"),
    ]
    return [
        trend.concern_trend(steps=one, until=SUMMER + timedelta(hours=1)),
        trend.concern_trend(steps=several, until=SUMMER + timedelta(days=40)),
        trend.concern_trend(steps=several[:2], until=WINTER),
    ]


def test_the_trend_draws_as_the_template_does():
    template = get_template("support/_concern_trend.html")
    for chart in _trends():
        assert trend.draw(chart) == template.render({"trend": chart})


def test_the_case_page_draws_the_trend_once(login, support_firm):
    """The page's tag draws it (the chart's figure and table appear once)."""
    from crm.support.tests.factories import make_support_case

    case = make_support_case(support_firm)
    assert case.owner is not None
    member = case.owner.memberships.get(firm=support_firm)
    body = login(member).get(f"/support/cases/{case.pk}/").content.decode()
    assert body.count('<figure class="concern-trend"') == 1
    assert "The concern level has not changed since the case was opened." in body
