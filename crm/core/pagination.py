"""Pagination that never counts the whole table.

A ``COUNT(*)`` over a large firm costs seconds; this fetches one row more than
a page to know whether a next page exists. The big lists page by key
(``keyset_paginate``: ``?after=`` / ``?before=`` cursors), so a deep page
costs what the first does; short lists (settings, a case's records) keep
``?page=N``.
"""

import copy
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import QueryDict

from crm.core import keyset

T = TypeVar("T", bound=Model)
Row = TypeVar("Row")

MAX_PAGE = 10_000
# Counts shown on tabs and badges stop here ("1,000+"): a capped count reads
# at most this many index entries, however large the firm.
COUNT_CAP = 1000


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of rows plus what the page links need."""

    items: Sequence[Row]
    number: int
    per_page: int
    has_next: bool
    query: str
    # Set on a page by key: the rows before it and the cursors either side.
    offset: int | None = None
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def has_previous(self) -> bool:
        if self.offset is not None:
            return bool(self.previous_cursor)
        return self.number > 1

    @property
    def start_index(self) -> int:
        if not self.items:
            return 0
        if self.offset is not None:
            return self.offset + 1
        return (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.items) - 1 if self.items else 0

    def _url(self, number: int) -> str:
        params = QueryDict(self.query, mutable=True)
        params["page"] = str(number)
        return "?" + params.urlencode()

    def _cursor_url(self, name: str, cursor: str) -> str:
        params = QueryDict(self.query, mutable=True)
        params[name] = cursor
        return "?" + params.urlencode()

    @property
    def next_url(self) -> str:
        if self.offset is not None:
            return self._cursor_url("after", self.next_cursor)
        return self._url(self.number + 1)

    @property
    def previous_url(self) -> str:
        if self.offset is not None:
            if self.offset <= self.per_page:
                # The first page: its plain link, as the list opens.
                return "?" + self.query
            return self._cursor_url("before", self.previous_cursor)
        return self._url(self.number - 1)


def page_number(params: QueryDict) -> int:
    """Return the requested page number, 1 when missing or invalid."""
    try:
        number = int(params.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(qs: QuerySet[T], *, params: QueryDict, per_page: int = 25) -> Page[T]:
    """Return the page of ``qs`` asked for by ``params['page']``, in one query."""
    number = page_number(params)
    offset = (number - 1) * per_page
    rows = list(qs[offset : offset + per_page + 1])
    query = copy.copy(params)  # shallow: keys are only dropped (no deepcopy)
    query.pop("page", None)
    return Page(
        items=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
        query=query.urlencode(),
    )


def page_offset(params: QueryDict, *, per_page: int) -> int:
    """Return the offset of the page ``params`` asks for (for ``page_of``)."""
    return (page_number(params) - 1) * per_page


def page_of(rows: Sequence[Row], *, params: QueryDict, per_page: int) -> Page[Row]:
    """Return a page of rows a selector fetched itself, one more than a page.

    For lists that are not one queryset (e.g. several tables merged): the
    selector reads ``per_page + 1`` rows from ``page_offset(...)``.
    """
    query = copy.copy(params)  # shallow: keys are only dropped (no deepcopy)
    query.pop("page", None)
    return Page(
        items=rows[:per_page],
        number=page_number(params),
        per_page=per_page,
        has_next=len(rows) > per_page,
        query=query.urlencode(),
    )


PAGE_PARAMS = ("page", "after", "before")


def keyset_paginate(
    qs: QuerySet[T], *, params: QueryDict, per_page: int = 25
) -> Page[T]:
    """Return the page of ``qs`` after ``?after=`` (or before ``?before=``), by key.

    One query of ``per_page + 1`` rows read from the ordering's index at the
    cursor, however deep the page (``crm.core.keyset``). A cursor that is not
    one of this list's (edited, or of another sort) opens the first page.
    """
    return keyset_page(
        functools.partial(keyset.fetch, qs), params=params, per_page=per_page
    )


def keyset_page(
    fetch: Callable[..., "keyset.Slice[T]"], *, params: QueryDict, per_page: int = 25
) -> Page[T]:
    """Return the page ``fetch(limit=, after=, before=)`` reads for ``params``.

    ``fetch`` is ``keyset.fetch`` of a queryset or a
    ``crm.core.keyset_prepared.PreparedPages``'s ``fetch``, with the list's
    arguments given.
    """
    query = copy.copy(params)  # shallow: keys are only dropped (no deepcopy)
    for name in PAGE_PARAMS:
        query.pop(name, None)
    try:
        part = fetch(
            limit=per_page,
            after=params.get("after", ""),
            before=params.get("before", ""),
        )
    except keyset.InvalidCursor:
        part = fetch(limit=per_page)
    return Page(
        items=part.rows,
        number=part.offset // per_page + 1,
        per_page=per_page,
        has_next=part.next_cursor is not None,
        query=query.urlencode(),
        offset=part.offset,
        next_cursor=part.next_cursor or "",
        previous_cursor=part.previous_cursor or "",
    )
