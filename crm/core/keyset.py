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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import (
    BooleanField,
    Expression,
    F,
    Model,
    OrderBy,
    Q,
    QuerySet,
    Value,
)
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    IsNull,
    LessThan,
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


class RowAfter(Expression):
    """``(a, b, id) > (x, y, n)``: one row comparison the index seeks to.

    For terms that share a direction and are never NULL, the rows after a key
    are one range of the index in both databases; spelled out as ``a > x OR
    (a = x AND ...)`` the planners seek to ``a >= x`` at best and filter every
    row of a long tie before the key.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, terms: Sequence[Any], values: Sequence[Any], *, less: bool):
        super().__init__()
        self.terms = list(terms)
        self.values = list(values)
        self.less = less

    def get_source_expressions(self) -> list[Any]:
        return self.terms

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.terms = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        columns, values, params = [], [], []
        for term in self.terms:
            sql, found = compiler.compile(term)
            columns.append(sql)
            params.extend(found)
        for term, value in zip(self.terms, self.values, strict=True):
            sql, found = compiler.compile(Value(value, output_field=term.output_field))
            values.append(sql)
            params.extend(found)
        op = "<" if self.less else ">"
        return f"({', '.join(columns)}) {op} ({', '.join(values)})", params


def _after(term: Term, value: Any) -> list[Q]:
    """Return the rows strictly after ``value`` in ``term``'s order, as ranges.

    A column whose NULLs sort after its values gives two ranges, the values
    after ``value`` and then the NULLs: "``> x`` or NULL" is no range of an
    index, so the planner would read the index from its start.
    """
    expression = term.expression
    if value is None:
        return [] if term.nulls_after else [~Q(IsNull(expression, True))]
    beyond = LessThan if term.descending else GreaterThan
    found = [Q(beyond(expression, value))]
    if term.nulls_after and term.nulls_last is not None:
        found.append(Q(IsNull(expression, True)))
    return found


def _equal(term: Term, value: Any) -> Q:
    if value is None:
        return Q(IsNull(term.expression, True))
    return Q(Exact(term.expression, value))


def _comparable(term: Term, value: Any) -> bool:
    """Return True if ``term`` can stand in a row comparison (never NULL)."""
    return term.nulls_last is None and value is not None


def after_key(found: Sequence[Term], values: Sequence[Any]) -> list[Q]:
    """Return the rows after the key ``values`` in the order ``found``, as ranges.

    Each range is one range of an index on the ordering, and the ranges
    follow each other in the ordering: the first holds the rows tied with
    the key on the leading terms and after it on the rest (one row
    comparison over the trailing terms that share a direction), the next
    the rows after the key on the term before, and so on. A page is nearly
    always filled from the first range, in one query; a page that crosses
    into the next value of a leading term reads the next range too.
    """
    last = len(found) - 1
    tail = last
    while (
        tail > 0
        and _comparable(found[tail - 1], values[tail - 1])
        and found[tail - 1].descending == found[last].descending
    ):
        tail -= 1

    def tied(upto: int) -> Q:
        condition = Q()
        for term, value in zip(found[:upto], values[:upto], strict=True):
            condition &= _equal(term, value)
        return condition

    if tail == last:
        ranges = [tied(last) & part for part in _after(found[last], values[last])]
    else:
        rest = RowAfter(
            [t.expression for t in found[tail:]],
            values[tail:],
            less=found[last].descending,
        )
        ranges = [tied(tail) & Q(rest)]
    for level in range(tail - 1, -1, -1):
        ranges += [tied(level) & part for part in _after(found[level], values[level])]
    return ranges


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
    """Return ``limit`` rows of ``qs`` after (or before) a cursor.

    Reads ``limit + 1`` rows to know whether another page follows (a page
    that crosses a leading term's value reads the next range too). Raises
    ``InvalidCursor`` for a cursor this ordering did not give out.
    """
    found = terms(qs)
    keyed = keyed_rows(qs, found)

    def read(
        values: list[Any] | None,
        ranges: Sequence[Q],
        part: int,
        backwards: bool,
        count: int,
    ) -> list[M]:
        part_qs = keyed.reverse() if backwards else keyed
        return list(part_qs.filter(ranges[part])[:count])

    return pages(found, read, limit=limit, after=after, before=before)


def keyed_rows(qs: QuerySet[M], found: Sequence[Term]) -> QuerySet[M]:
    """Return ``qs`` with each term of its key annotated, for the cursors."""
    keyed: QuerySet[M] = qs.annotate(
        **{_KEY % i: t.expression for i, t in enumerate(found)}
    )
    return keyed


def ranges_after(
    found: Sequence[Term], values: Sequence[Any] | None, backwards: bool
) -> list[Q]:
    """Return the ranges a page reads: all rows, or those after (before) a key."""
    if values is None:
        return [Q()]
    return after_key(_flipped(found) if backwards else found, values)


# How a page's rows are read: ``read(values, ranges, part, backwards, count)``
# returns up to ``count`` rows of range ``part`` of ``ranges`` (the rows after
# the key ``values``, or all rows for None), backwards or not.
Reader = Callable[[list[Any] | None, list[Q], int, bool, int], list[M]]


def pages(
    found: Sequence[Term],
    read: Reader[M],
    *,
    limit: int,
    after: str = "",
    before: str = "",
) -> Slice[M]:
    """Return the page of ``limit`` rows after or before a cursor, read by ``read``.

    ``fetch`` reads through the ORM; ``crm.core.keyset_prepared`` through
    statements compiled once. Both give out and take the same cursors.
    """
    backwards = bool(before) and not after
    offset = before_count = 0
    values = None
    if after:
        values, offset = decode(found, after)
    elif before:
        values, before_count = decode(found, before)
    ranges = ranges_after(found, values, backwards)
    rows: list[M] = []
    for part in range(len(ranges)):
        rows.extend(read(values, ranges, part, backwards, limit + 1 - len(rows)))
        if len(rows) > limit:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
        offset = max(before_count - len(rows), 1 if more else 0)
    if not rows:
        return Slice(rows, offset, None, None)
    names = [_KEY % i for i in range(len(found))]

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
