"""Links to one object's page, reversed once per URL pattern rather than per row.

Django's ``reverse`` resolves the namespace, converts and checks every
argument against the pattern and quotes the result: about 95 Python calls a
link, and a list page draws two or three links a row. A route whose
arguments are all ids (``<int:...>``) gives the same URL for every id but the
digits, so :func:`quick_reverse` reverses it once with marker ids and then
only puts the ids in. Anything else (a negative or non-int id, a pattern the
markers do not fit, arguments both by position and by name) goes to Django's
``reverse`` unchanged.
"""

from collections.abc import Sequence
from typing import Any

from django.urls import (
    NoReverseMatch,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    reverse,
)

# Ten-digit markers: no route of this project has such digits of its own.
_MARKERS = (9_876_543_201, 9_876_543_202, 9_876_543_203)
_Key = tuple[str, tuple[str, ...] | int, str | None, str, object]
_patterns: dict[_Key, tuple[str, ...] | None] = {}


def _pattern(
    viewname: str, names: tuple[str, ...] | int, current_app: str | None
) -> tuple[str, ...] | None:
    """Return the URL split around each id (None if the markers do not fit)."""
    count = names if isinstance(names, int) else len(names)
    if count > len(_MARKERS):
        return None
    markers = _MARKERS[:count]
    try:
        if isinstance(names, int):
            url = reverse(viewname, args=markers, current_app=current_app)
        else:
            kwargs = dict(zip(names, markers, strict=True))
            url = reverse(viewname, kwargs=kwargs, current_app=current_app)
    except NoReverseMatch:
        # A pattern narrower than any id (say, four digits), or no such route:
        # Django's reverse with the real ids decides.
        return None
    pieces: list[str] = []
    rest = url
    for marker in map(str, markers):
        if rest.count(marker) != 1:
            return None
        before, rest = rest.split(marker)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def quick_reverse(
    viewname: str,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """Return ``reverse(viewname, args, kwargs, current_app=...)``, quickly for ids."""
    if args and kwargs:
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    values = list(args or (kwargs or {}).values())
    if any(type(v) is not int or v < 0 for v in values):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    names: tuple[str, ...] | int = len(values) if args else tuple(kwargs or ())
    # The resolver stands for the URLconf: a new one (a test's) has its own.
    resolver = get_resolver(get_urlconf())
    key = (viewname, names, current_app, get_script_prefix(), resolver)
    try:
        pieces = _patterns[key]
    except KeyError:
        pieces = _patterns[key] = _pattern(viewname, names, current_app)
    if pieces is None:
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    parts = [pieces[0]]
    for value, piece in zip(values, pieces[1:], strict=True):
        parts.append(str(value))
        parts.append(piece)
    return "".join(parts)


def reverse_ids(viewname: str, **ids: int) -> str:
    """Return ``reverse(viewname, kwargs=ids)`` for ids that are whole numbers."""
    return quick_reverse(viewname, kwargs=ids)
