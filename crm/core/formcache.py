"""A list's filter bar drawn once per distinct input, then kept (per process).

Drawing a list's filters is the same work on every request with the same
query string: a form field per filter, and a ``<select>`` of every member and
introducer of the firm, about 0.9 ms of the Cases list's 6 ms of CPU, and
making and validating the form another 0.5. What a bar draws and what its
form cleans to are a function of what ``filterset_key`` holds: the
FilterSet's class, each filter's class, label and ``extra`` (the choices
themselves, so a renamed member or a new introducer is a new key), the
submitted values and the active language. A FilterSet it cannot describe so
(a queryset, an object compared by identity) gets None, and its bar is drawn
as before.

The kept bars are few (the common filter combinations of each firm's lists)
and small, and the keys share one copy of each list of choices; past
``LIMIT`` a cache starts again.
"""

from collections.abc import Hashable
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language

LIMIT = 256
_drawn: dict[Hashable, SafeString] = {}
_cleaned: dict[Hashable, dict[str, Any]] = {}
# One copy of each distinct list of choices, shared by every key that holds
# it: a firm's member list is in every key of its lists' bars.
_lists: dict[tuple[Any, ...], tuple[Any, ...]] = {}


# What a key may hold as it is: values equal when they draw the same. Any
# other object (a queryset, a widget instance) would be compared by identity,
# a new key on every request, so a FilterSet holding one is not kept.
_VALUES = (str, int, float, Decimal, date, time, type, type(None))


def _plain(value: Any) -> Any:
    """Return ``value`` as a key holds it; raise ``TypeError`` if it cannot.

    A lazily translated text is the call it stands for: hashing it would
    translate it each time, and the call (``gettext("Any status")``) says the
    same with the language in the key.
    """
    if isinstance(value, _VALUES):
        return value
    if isinstance(value, Promise):
        func, args, kw = value.__reduce__()[1][:3]  # type: ignore[misc]  # (unpickle, (func, args, kw, *classes))
        return (func, args, tuple(sorted(kw.items())))
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    raise TypeError(type(value).__name__)


def _choices(choices: list[Any]) -> tuple[Any, ...]:
    found = tuple([(_plain(value), _plain(label)) for value, label in choices])
    _bounded(_lists)
    return _lists.setdefault(found, found)


def _bounded(store: dict[Any, Any]) -> None:
    """Start ``store`` again once it holds ``LIMIT`` entries."""
    if len(store) >= LIMIT:
        store.clear()


def filterset_key(filterset: Any) -> Hashable | None:
    """Return what a list's FilterSet makes its form from and gives it.

    A FilterSet's form class is its ``Meta.form`` with one field per filter,
    each made from the filter's class, label and ``extra`` (the choices
    ``set_choices`` put there, a widget, a placeholder); the form is bound
    to the filters' submitted values. So these, the FilterSet's class and the
    language say what the form draws and how it cleans, without making it
    (about 0.5 ms of the Cases list). None if any of them cannot be compared.
    """
    data = filterset.data if filterset.is_bound else None
    if data is not None and not isinstance(data, QueryDict):
        return None
    try:
        found = (
            get_language(),
            type(filterset),
            *(
                (
                    name,
                    type(filter_),
                    _plain(filter_.label),
                    tuple(
                        [
                            (k, _choices(v) if k == "choices" else _plain(v))
                            for k, v in filter_.extra.items()
                        ]
                    ),
                    tuple(data.getlist(name)) if data is not None else None,
                )
                for name, filter_ in filterset.filters.items()
            ),
        )
        hash(found)
    except (TypeError, ValueError):
        return None
    return found


def _copy(values: dict[str, Any]) -> dict[str, Any]:
    """Return ``values`` with its lists copied (a multiple choice's)."""
    return {k: list(v) if isinstance(v, list) else v for k, v in values.items()}


def cleaned(found: Hashable) -> dict[str, Any] | None:
    """Return a copy of the cleaned values kept for ``found``, if kept."""
    values = _cleaned.get(found)
    return _copy(values) if values is not None else None


def keep_cleaned(found: Hashable, values: dict[str, Any]) -> None:
    """Keep ``values`` as what the form made from ``found`` cleaned to."""
    _bounded(_cleaned)
    _cleaned[found] = _copy(values)


def get(found: Hashable) -> SafeString | None:
    """Return the bar drawn for ``found``, if kept."""
    return _drawn.get(found)


def keep(found: Hashable, html: SafeString) -> None:
    """Keep ``html`` as the bar drawn for ``found``."""
    _bounded(_drawn)
    _drawn[found] = html


def clear() -> None:
    """Forget every kept bar and cleaned values (tests)."""
    _drawn.clear()
    _cleaned.clear()
    _lists.clear()
