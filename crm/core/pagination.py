"""Pagination that never counts the whole table.

A ``COUNT(*)`` over a large firm costs seconds; this fetches one row more than
a page to know whether a next page exists.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import QueryDict

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

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.items) - 1 if self.items else 0

    def _url(self, number: int) -> str:
        params = QueryDict(self.query, mutable=True)
        params["page"] = str(number)
        return "?" + params.urlencode()

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)

    @property
    def previous_url(self) -> str:
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
    query = params.copy()
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
    query = params.copy()
    query.pop("page", None)
    return Page(
        items=rows[:per_page],
        number=page_number(params),
        per_page=per_page,
        has_next=len(rows) > per_page,
        query=query.urlencode(),
    )
