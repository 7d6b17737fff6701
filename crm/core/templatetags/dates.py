"""Django's ``date`` filter, with a quick way through for the formats pages use most.

Loaded as a template builtin after Django's own (``TEMPLATES`` in settings), so
``{{ value|date:"j M Y" }}`` in any template comes here. A list page prints
about four dates a row; Django's filter parses the format string and builds a
formatter object for each (about 60 Python calls a date, a tenth of the
Cases list's rows). The formats below are written out directly, with the same
output as Django's (``crm/core/tests/test_dates.py`` compares them); any other
format, or a value that is not a date, goes to Django's filter unchanged.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django import template
from django.template import defaultfilters
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

register = template.Library()

_months: dict[tuple[str | None, int], str] = {}


def _month(month: int, language: str | None = None) -> str:
    """Return the month's short name as Django's ``M`` prints it, in the language.

    ``language`` is the active one (``get_language()``) when the caller has it.
    """
    key = (language or get_language(), month)
    name = _months.get(key)
    if name is None:
        name = _months[key] = str(MONTHS_3[month]).title()
    return name


def _day_month_year(value: datetime.date) -> str:
    return f"{value.day} {_month(value.month)} {value.year:04d}"


def day_month_year(value: datetime.date, language: str | None) -> str:
    """Return ``{{ value|date:"j M Y" }}`` with the active ``language`` given."""
    return f"{value.day} {_month(value.month, language)} {value.year:04d}"


def _day_month_year_time(value: datetime.datetime) -> str:
    return f"{_day_month_year(value)}, {value.hour:02d}:{value.minute:02d}"


def _iso_date(value: datetime.date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _iso(value: datetime.date) -> str:
    return value.isoformat()


DATE_FORMATS: dict[str, Callable[[datetime.date], str]] = {
    "j M Y": _day_month_year,
    "Y-m-d": _iso_date,
    "c": _iso,
}
DATETIME_FORMATS: dict[str, Callable[[Any], str]] = {
    "j M Y, H:i": _day_month_year_time,
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Format a date according to the given format (Django's ``date``)."""
    kind = type(value)
    if kind is datetime.datetime:
        quick = DATETIME_FORMATS.get(arg or "") or DATE_FORMATS.get(arg or "")
        if quick is not None:
            return quick(value)
    elif kind is datetime.date and arg in DATE_FORMATS:
        return DATE_FORMATS[arg](value)
    return str(defaultfilters.date(value, arg))
