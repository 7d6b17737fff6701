"""Links to one object's page, reversed once per URL pattern rather than per row.

Django's ``reverse`` resolves the namespace, converts and checks every
argument against the pattern and quotes the result: about 95 Python calls a
link, and a list page draws two or three links a row. A route whose
arguments are all ids (``<int:...>``) gives the same URL for every id but the
digits, so :func:`reverse_ids` reverses it once with marker ids and then
only puts the ids in. Anything else (a negative or non-int id, a pattern the
markers do not fit) goes to Django's ``reverse`` unchanged.
"""

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# Ten-digit markers: no route of this project has such digits of its own.
_MARKERS = (9_876_543_201, 9_876_543_202, 9_876_543_203)
_Key = tuple[str, tuple[str, ...], str, object]
_patterns: dict[_Key, tuple[str, ...] | None] = {}


def _pattern(key: _Key) -> tuple[str, ...] | None:
    """Return the URL split around each id (None if the markers do not fit)."""
    viewname, names, _prefix, _urlconf = key
    if len(names) > len(_MARKERS):
        return None
    markers = dict(zip(names, _MARKERS, strict=False))
    url = reverse(viewname, kwargs=markers)
    pieces: list[str] = []
    rest = url
    for name in names:
        marker = str(markers[name])
        if rest.count(marker) != 1:
            return None
        before, rest = rest.split(marker)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def reverse_ids(viewname: str, **ids: int) -> str:
    """Return ``reverse(viewname, kwargs=ids)`` for ids that are whole numbers."""
    # The resolver stands for the URLconf: a new one (a test's) has its own.
    key = (viewname, tuple(ids), get_script_prefix(), get_resolver(get_urlconf()))
    try:
        pieces = _patterns[key]
    except KeyError:
        pieces = _patterns[key] = _pattern(key)
    values = ids.values()
    if pieces is None or any(type(v) is not int or v < 0 for v in values):
        return reverse(viewname, kwargs=ids)
    parts = [pieces[0]]
    for value, piece in zip(values, pieces[1:], strict=True):
        parts.append(str(value))
        parts.append(piece)
    return "".join(parts)
