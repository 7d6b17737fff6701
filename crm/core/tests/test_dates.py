"""The quick ``date`` filter prints exactly what Django's ``date`` filter prints."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Engine, engines
from django.template import defaultfilters as django_filters
from django.utils import timezone, translation

from crm.core.templatetags import dates

LONDON = zoneinfo.ZoneInfo("Europe/London")
VALUES: list[object] = [
    datetime.date(2026, 1, 1),
    datetime.date(2026, 12, 31),
    datetime.date(999, 5, 9),
    datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 29, 1, 0, 0, 123456, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
    datetime.datetime(2026, 7, 4, 23, 5, 7),  # noqa: DTZ001 - a naive value too
    datetime.datetime(45, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
]
FORMATS = [*dates.DATE_FORMATS, *dates.DATETIME_FORMATS, "j F Y", "N j, Y", None]
OTHERS: list[object] = [None, "", "2026-01-01", 5, datetime.time(9, 30)]


@pytest.mark.parametrize("language", ["en-gb", "fr", "de"])
def test_quick_date_filter_matches_djangos_for_every_format(language):
    """Each quick format, in any language, is Django's output; others pass through."""
    with translation.override(language):
        for value in VALUES + OTHERS:
            for fmt in FORMATS:
                try:
                    expected = django_filters.date(value, fmt)  # type: ignore[arg-type]  # any value
                except TypeError:  # Django refuses a time format on a date
                    with pytest.raises(TypeError):
                        dates.date(value, fmt)
                    continue
                assert dates.date(value, fmt) == expected, (value, fmt)


def test_templates_use_the_quick_filter_in_the_members_time_zone():
    """``|date`` in templates is the quick filter, on local time as Django's is."""
    django_engine = Engine(autoescape=True)
    source = '{{ v|date:"j M Y, H:i" }} {{ v|date:"c" }} {{ v|date:"j M Y" }}'
    ours = engines["django"].from_string(source)
    theirs = django_engine.from_string(source)
    assert "crm.core.templatetags.dates" in engines["django"].engine.builtins  # type: ignore[attr-defined]  # the Django backend's
    value = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    for zone in ("Europe/London", "America/New_York", "UTC"):
        with timezone.override(zone):
            expected = theirs.render(Context({"v": value}))
            assert ours.render({"v": value}) == expected
    assert ours.render({"v": value}).startswith("1 Jul 2026, 00:30")
