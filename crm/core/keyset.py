"""Pages by key: a page starts right after the last row of the page before.

``OFFSET 19900`` makes the database read and drop 19,900 rows; a page that
starts "after (Smith, 81234)" is read from the index at that key instead, so
the 800th page costs what the first does. The list pages (``?after=`` and
``?before=`` links, through ``crm.core.pagination.keyset_paginate``) and the
API (``cursor``, through ``crm.core.api.cursor_page``) share this cursor.

The key is the queryset's own ordering, which must end with the primary key
(every list's sorts do) so that no two rows share a key. A cursor holds the
key of the row it follows, the number of rows before it (so a page still says
"Showing 19,901-19,925") and a fingerprint of the ordering; it is signed, so a
cursor the site did not give out, or one of another sort, is refused instead
of being compared with the columns.
"""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Expression, F, Model, OrderBy, Q, QuerySet
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

M = TypeVar("M", bound=Model)

SALT = "crm.core.keyset"
_KEY = "keyset_%d"


class InvalidCursor(ValueError):
    """A cursor this site did not give out, or one of another ordering."""


@dataclass(frozen=True)
class Term:
    """One term of an ordering: what is compared, its direction, where NULLs go.

    ``nulls_last`` is None when the ordering leaves NULLs to the database;
    such a column is taken as never NULL (sort names, dates of creation, ids).
    """

    expression: Any
    descending: bool
    nulls_last: bool | None

    @property
    def nulls_after(self) -> bool:
        """Return True if NULLs come after every value in this term's order."""
        if self.nulls_last is None:
            return not self.descending  # PostgreSQL's default
        return self.nulls_last


def _term(item: Any) -> Term:
    if isinstance(item, str):
        name = item.lstrip("-")
        return Term(F(name), item.startswith("-"), None)
    if isinstance(item, OrderBy):
        nulls = True if item.nulls_last else (False if item.nulls_first else None)
        return Term(item.expression, item.descending, nulls)
    if isinstance(item, (F, Expression)):
        return Term(item, False, None)
    msg = f"Cannot page by key on {item!r}."
    raise TypeError(msg)


def terms(qs: QuerySet[Any]) -> list[Term]:
    """Return the terms of ``qs``'s ordering; it must end with the primary key."""
    ordering = list(qs.query.order_by or qs.model._meta.ordering)
    found = [_term(item) for item in ordering]
    last = found[-1].expression if found else None
    if not isinstance(last, F) or last.name not in ("pk", "id"):
        msg = f"{qs.model.__name__}: a keyset ordering must end with the id."
        raise ValueError(msg)
    return found


def _fingerprint(found: Sequence[Term]) -> str:
    text = repr([(repr(t.expression), t.descending, t.nulls_last) for t in found])
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _dump(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _load(value: Any) -> Any:
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.datetime.fromisoformat(value["dt"])
        if "d" in value:
            return datetime.date.fromisoformat(value["d"])
        return Decimal(value["n"])
    return value


def encode(found: Sequence[Term], values: Sequence[Any], before: int) -> str:
    """Return the signed cursor of a row: its key and the rows before it."""
    payload = {"k": [_dump(v) for v in values], "o": before, "f": _fingerprint(found)}
    return signing.dumps(payload, salt=SALT, compress=True)


def decode(found: Sequence[Term], cursor: str) -> tuple[list[Any], int]:
    """Return the key and row count of ``cursor``; ``InvalidCursor`` if not ours."""
    try:
        payload = signing.loads(cursor, salt=SALT)
        values = [_load(v) for v in payload["k"]]
        before = int(payload["o"])
        same = payload["f"] == _fingerprint(found)
    except (signing.BadSignature, ValueError, TypeError, KeyError) as exc:
        raise InvalidCursor(cursor) from exc
    if not same or len(values) != len(found) or before < 0:
        raise InvalidCursor(cursor)
    return values, before


def _after(term: Term, value: Any) -> Q | None:
    """Return the rows strictly after ``value`` in ``term``'s order (None: none)."""
    expression = term.expression
    if value is None:
        return None if term.nulls_after else ~Q(IsNull(expression, True))
    beyond = LessThan if term.descending else GreaterThan
    found = Q(beyond(expression, value))
    if term.nulls_after and term.nulls_last is not None:
        found |= Q(IsNull(expression, True))
    return found


def _from(term: Term, value: Any) -> Q | None:
    """Return the rows at or after ``value``: a range the index seeks to."""
    expression = term.expression
    if value is None:
        return Q(IsNull(expression, True)) if term.nulls_after else None
    beyond = LessThanOrEqual if term.descending else GreaterThanOrEqual
    found = Q(beyond(expression, value))
    if term.nulls_after and term.nulls_last is not None:
        found |= Q(IsNull(expression, True))
    return found


def _equal(term: Term, value: Any) -> Q:
    if value is None:
        return Q(IsNull(term.expression, True))
    return Q(Exact(term.expression, value))


def after_key(found: Sequence[Term], values: Sequence[Any]) -> Q:
    """Return the rows after the key ``values`` in the order ``found``.

    ``(a > x) OR (a = x AND (b > y OR ...))``, and ``a >= x`` beside it so
    that the database reads the index from ``x`` on rather than filtering
    every row before it.
    """
    *head, last = zip(found, values, strict=True)
    condition = _after(*last) or Q(pk__in=[])
    for term, value in reversed(head):
        tied = _equal(term, value) & condition
        strictly = _after(term, value)
        condition = tied if strictly is None else strictly | tied
    start = _from(found[0], values[0])
    return condition if start is None else start & condition


def _flipped(found: Sequence[Term]) -> list[Term]:
    return [
        Term(
            t.expression,
            not t.descending,
            None if t.nulls_last is None else not t.nulls_last,
        )
        for t in found
    ]


@dataclass(frozen=True)
class Slice(Generic[M]):
    """Rows of one page by key, and the cursors of the pages either side."""

    rows: list[M]
    offset: int
    next_cursor: str | None
    previous_cursor: str | None


def fetch(
    qs: QuerySet[M], *, limit: int, after: str = "", before: str = ""
) -> Slice[M]:
    """Return ``limit`` rows of ``qs`` after (or before) a cursor, in one query.

    Reads ``limit + 1`` rows to know whether another page follows. Raises
    ``InvalidCursor`` for a cursor this ordering did not give out.
    """
    found = terms(qs)
    names = [_KEY % i for i in range(len(found))]
    keyed = qs.annotate(**{n: t.expression for n, t in zip(names, found, strict=True)})
    backwards = bool(before) and not after
    offset = before_count = 0
    if after:
        values, offset = decode(found, after)
        keyed = keyed.filter(after_key(found, values))
    elif before:
        values, before_count = decode(found, before)
        keyed = keyed.reverse().filter(after_key(_flipped(found), values))
    rows = list(keyed[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
        offset = max(before_count - len(rows), 1 if more else 0)
    if not rows:
        return Slice(rows, offset, None, None)

    def cursor(row: M, count: int) -> str:
        return encode(found, [getattr(row, n) for n in names], count)

    has_next = more or backwards
    has_previous = more if backwards else bool(after)
    if backwards and not more:
        offset = 0  # the first page, whatever was added or removed meanwhile
    return Slice(
        rows,
        offset,
        cursor(rows[-1], offset + len(rows)) if has_next else None,
        cursor(rows[0], offset) if has_previous else None,
    )
