"""Pages by key whose statements the ORM writes once a process: ``PreparedPages``.

A list page's own statement (its filters, its sort, the cursor's key, a page
of rows) costs 4,000-10,000 Python calls through the ORM, most of them
building the queryset and compiling the same SQL again for each request. A
``PreparedPages`` list is a function from the list's arguments (the firm, ids,
days and shapes, as ``crm.core.prepared.Prepared`` takes them) to its
queryset; each page is read through a ``Prepared`` read of that queryset, with
the cursor's key, the range of the page and its direction as more arguments.
Pages, cursors and rows are those of ``crm.core.keyset.fetch`` over the same
queryset (``pages`` draws both; the tests compare them page by page).

A key the stand-ins cannot take (a text, a decimal, a number in a column whose
range has no room for them) is read through the ORM, as ``fetch`` reads it.
"""

import functools
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import connections, models, router
from django.db.models import Q
from django.http import QueryDict
from django_scopes import scope

from crm.core import keyset
from crm.core.pagination import Page, keyset_page
from crm.core.prepared import _STAND_IN, KEPT_PER_READ, Prepared, _check_scope, _key

M = TypeVar("M", bound=models.Model)

_VALUE = "keyset_value_%d"
# The arguments a page read adds to the list's own.
_PAGE_SHAPES = ("count", "part", "backwards", "first")
_TAKEN = (int, date, datetime, bool, type(None))


class PreparedPages(Generic[M]):
    """A list of ``model`` rows built by ``build(firm_id=..., **args)``, read by key.

    ``fetch`` returns a ``keyset.Slice`` as ``keyset.fetch(build(...))`` does.
    """

    def __init__(
        self,
        model: type[M],
        build: Callable[..., models.QuerySet[M]],
        *,
        shapes: tuple[str, ...] = (),
    ) -> None:
        self.model = model
        self.build = build
        self.shapes = frozenset(shapes)
        self._read: Prepared[M] = Prepared(
            model, self._page, shapes=(*shapes, *_PAGE_SHAPES)
        )
        # Each shape's ordering, and whether each term's column takes a
        # stand-in id (its range reaches below them).
        self._terms: dict[Hashable, tuple[list[keyset.Term], tuple[bool, ...]]] = {}

    def _page(
        self, *, count: int, part: int, backwards: bool, first: bool, **args: Any
    ) -> models.QuerySet[M]:
        """Return the queryset of one range of one page (built with stand-ins)."""
        values = [args.pop(_VALUE % i) for i in range(_values(args))]
        qs = self.build(**args)
        found = keyset.terms(qs)
        keyed = keyset.keyed_rows(qs, found)
        ranges = keyset.ranges_after(found, None if first else values, backwards)
        part_qs = keyed.reverse() if backwards else keyed
        return part_qs.filter(ranges[part])[:count]

    def _ordering(
        self, firm_id: int, args: dict[str, Any]
    ) -> tuple[list[keyset.Term], tuple[bool, ...]]:
        key = _key(router.db_for_read(self.model), {**args}, self.shapes)
        known = self._terms.get(key)
        if known is None:
            if len(self._terms) >= KEPT_PER_READ:
                self._terms.clear()  # many shapes: start again
            with scope(firm=firm_id):
                qs = self.build(firm_id=firm_id, **args)
            found = keyset.terms(qs)
            known = self._terms[key] = (found, _takes_ids(qs, found))
        return known

    def fetch(
        self,
        *,
        firm_id: int,
        limit: int,
        after: str = "",
        before: str = "",
        **args: Any,
    ) -> keyset.Slice[M]:
        """Return ``limit`` rows after (or before) a cursor; see ``keyset.fetch``.

        Refused outside the firm's scope, as the scoped managers refuse (a
        page read through the ORM as well as a prepared one).
        """
        _check_scope(firm_id)
        found, takes_ids = self._ordering(firm_id, args)

        def read(
            values: list[Any] | None,
            ranges: list[Q],
            part: int,
            backwards: bool,
            count: int,
        ) -> list[M]:
            if values is not None and not _preparable(values, takes_ids):
                return self._orm(firm_id, args, found, ranges, part, backwards, count)
            keys = {_VALUE % i: v for i, v in enumerate(values or ())}
            return self._read(
                firm_id=firm_id,
                count=count,
                part=part,
                backwards=backwards,
                first=values is None,
                **keys,
                **args,
            )

        return keyset.pages(found, read, limit=limit, after=after, before=before)

    def page(
        self, *, firm_id: int, params: QueryDict, per_page: int, **args: Any
    ) -> Page[M]:
        """Return the page ``params`` asks for (``?after=``/``?before=``), by key.

        As ``crm.core.pagination.keyset_paginate`` over ``build(...)``: a
        cursor that is not this list's opens the first page.
        """
        fetch = functools.partial(self.fetch, firm_id=firm_id, **args)
        return keyset_page(fetch, params=params, per_page=per_page)

    def _orm(
        self,
        firm_id: int,
        args: dict[str, Any],
        found: list[keyset.Term],
        ranges: list[Q],
        part: int,
        backwards: bool,
        count: int,
    ) -> list[M]:
        """Read a range through the ORM, as ``keyset.fetch`` does."""
        with scope(firm=firm_id):
            qs = keyset.keyed_rows(self.build(firm_id=firm_id, **args), found)
        part_qs = qs.reverse() if backwards else qs
        return list(part_qs.filter(ranges[part])[:count])


def _values(args: dict[str, Any]) -> int:
    return sum(1 for name in args if name.startswith("keyset_value_"))


def _preparable(values: list[Any], takes_ids: tuple[bool, ...]) -> bool:
    """Return whether each of the key's values can be a ``Prepared`` argument."""
    return all(
        type(value) in _TAKEN and (type(value) is not int or takes)
        for value, takes in zip(values, takes_ids, strict=True)
    )


def _takes_ids(qs: models.QuerySet[Any], found: list[keyset.Term]) -> tuple[bool, ...]:
    """Return, for each term, whether its column's range holds the stand-in ids.

    A number outside an integer column's range is no row to the ORM, which
    then leaves the comparison out (or finds nothing): a stand-in there
    would be compiled so, and the key read through the ORM instead.
    """
    query = qs.query
    ops = connections[router.db_for_read(qs.model)].ops
    taken = []
    for term in found:
        field = term.expression.resolve_expression(query).output_field
        if field.is_relation:
            field = field.target_field
        try:
            low, _high = ops.integer_field_range(field.get_internal_type())
        except KeyError:  # not an integer column
            low = None
        taken.append(low is None or low <= _STAND_IN)
    return tuple(taken)
