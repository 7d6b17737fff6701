"""Deep pages and sorts on computed columns (issue 21, items 2 and 3).

The Clients list 19,900 rows in (page 797), followed by its Next link as a
member would; the Cases list sorted by status in pipeline order, by client, by
kind and by owner; the Support cases list by concern level, by start date and
by case manager. The lower bound is the hand-written keyset statement on the
same indexes.
"""

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django_scopes import scopes_disabled

from bench import sql
from bench.context import BenchContext
from bench.operations import Operation, Statement, with_request_context
from bench.pages import support_case_available
from crm.advice.selectors import ADVICE_KINDS
from crm.cases import selectors as case_selectors
from crm.contacts import selectors as contact_selectors
from crm.core import keyset
from crm.firms.models import Firm

DEEP = 19_900
# Inside a long tie: the kind sort's first term has two values among the
# advice cases and the owner sort's about forty, so row 100,000 lies deep in
# one run of equal values (bench/NOTES.md items 23 and 28).
DEEP_TIE = 100_000
CASE_KINDS = "kind IN ('mortgage', 'protection')"


@functools.cache
def _deep_clients(firm_id: int) -> tuple[str, list[Any]]:
    """Return the Clients list's cursor after row ``DEEP`` (or the last) and its key.

    Read once, untimed, with an offset; the timed request follows the cursor
    as the page's Next link would.
    """
    with scopes_disabled():
        firm = Firm.objects.get(pk=firm_id)
        qs = contact_selectors.contact_list(firm=firm, search_limit=500).contacts
        found = keyset.terms(qs)
        names = [f"k{i}" for i in range(len(found))]
        keyed = qs.annotate(
            **{n: t.expression for n, t in zip(names, found, strict=True)}
        )
        # A small bench (a quick run, the suite's own test) has fewer rows:
        # go as deep as it has.
        depth = max(1, min(DEEP, qs.count()))
        values = list(keyed.values_list(*names)[depth - 1])
    return keyset.encode(found, values, depth), values


def _deep_path(ctx: BenchContext, i: int) -> str:
    cursor, _values = _deep_clients(ctx.firm_id)
    return reverse("contacts:contact_list") + "?" + urlencode({"after": cursor})


def _deep_raw(ctx: BenchContext, i: int) -> list[Statement]:
    _cursor, (name, pk) = _deep_clients(ctx.firm_id)
    return [
        (
            "SELECT id, kind, first_name, last_name, organisation_name, email, mobile, "
            "town FROM contacts_contact WHERE firm_id = %s AND NOT is_archived "
            "AND (sort_name, id) > (%s, %s) ORDER BY sort_name, id LIMIT %s",
            [ctx.firm_id, name, pk, sql.PAGE],
        )
    ]


@functools.cache
def _deep_cases(firm_id: int, sort: str) -> tuple[str, list[Any]]:
    """Return the Cases list's cursor after row ``DEEP_TIE`` in ``sort``, and key."""
    with scopes_disabled():
        firm = Firm.objects.get(pk=firm_id)
        qs = case_selectors.case_list(firm=firm, kinds=ADVICE_KINDS, sort=sort)
        found = keyset.terms(qs)
        names = [f"k{i}" for i in range(len(found))]
        keyed = qs.annotate(
            **{n: t.expression for n, t in zip(names, found, strict=True)}
        )
        depth = max(1, min(DEEP_TIE, qs.count()))
        values = list(keyed.values_list(*names)[depth - 1])
    return keyset.encode(found, values, depth), values


def _deep_cases_path(sort: str) -> Callable[[BenchContext, int], str]:
    def path(ctx: BenchContext, i: int) -> str:
        cursor, _values = _deep_cases(ctx.firm_id, sort)
        query = {"tab": "all", "sort": sort, "after": cursor}
        return reverse("advice:case_list") + "?" + urlencode(query)

    return path


def _deep_cases_raw(
    sort: str, order: str, after: str
) -> Callable[[BenchContext, int], list[Statement]]:
    """The hand-written page: the key's own range of the index (``after``)."""
    outer = ", ".join("p." + term.strip() for term in order.split(","))

    def raw(ctx: BenchContext, i: int) -> list[Statement]:
        _cursor, values = _deep_cases(ctx.firm_id, sort)
        page = (
            f"SELECT {sql._CASE_COLUMNS}, status_rank, client_sort_name, "  # noqa: S608
            "kind_rank, owner_sort_name "
            "FROM cases_case "
            f"WHERE firm_id = %s AND {CASE_KINDS} AND {after} "
            f"ORDER BY {order} LIMIT %s"
        )
        return [
            *sql.case_list_choices(ctx),
            (sql._applicants_of(page, outer), [ctx.firm_id, *values, sql.PAGE]),
        ]

    return raw


def _cases(order: str) -> Callable[[BenchContext, int], list[Statement]]:
    outer = ", ".join("p." + term.strip() for term in order.split(","))

    def raw(ctx: BenchContext, i: int) -> list[Statement]:
        page = (
            f"SELECT {sql._CASE_COLUMNS}, status_rank, client_sort_name, "  # noqa: S608
            "kind_rank, owner_sort_name "
            "FROM cases_case "
            "WHERE firm_id = %s "
            f"AND {CASE_KINDS} ORDER BY {order} LIMIT %s"
        )
        return [
            *sql.case_list_choices(ctx),
            (sql._applicants_of(page, outer), [ctx.firm_id, sql.PAGE]),
        ]

    return raw


def _support(order: str) -> Callable[[BenchContext, int], list[Statement]]:
    def raw(ctx: BenchContext, i: int) -> list[Statement]:
        page = (
            "SELECT c.id, c.reference, c.title, c.status, c.created_at, c.owner_id, "  # noqa: S608
            "c.owner_sort_name, s.start_date, s.concern_level, s.concern_rank "
            "FROM cases_case c "
            "JOIN support_supportdetails s ON s.case_id = c.id "
            # The details' own firm too, so that their (firm, ...) index
            # gives the order (the case's firm says nothing about theirs).
            "WHERE c.firm_id = %s AND s.firm_id = %s AND c.kind = 'support' "
            f"ORDER BY {order} LIMIT %s"
        )
        outer = (
            order.replace("s.case_id", "p.id").replace("s.", "p.").replace("c.", "p.")
        )
        members, _introducers = sql.case_list_choices(ctx)
        params = [ctx.firm_id, ctx.firm_id, sql.PAGE]
        return [members, (sql._applicants_of(page, outer), params)]

    return raw


def paging_operations(ctx: BenchContext) -> list[Operation]:
    """Return the deep Clients page and the sorts on computed columns."""
    cases = reverse("advice:case_list")
    ops = [
        Operation(
            "contact_list_deep",
            f"Clients list: the page after row {DEEP:,} (Next link)",
            _deep_path,
            _deep_raw,
        ),
        Operation(
            "cases_by_status",
            "Cases list: All tab, by status in pipeline order",
            lambda c, i: cases + "?sort=status",
            _cases("status_rank, created_at DESC, id DESC"),
        ),
        Operation(
            "cases_by_client",
            "Cases list: All tab, by client name",
            lambda c, i: cases + "?sort=client",
            # Stored on the case and indexed with the firm, as the page reads it.
            _cases("client_sort_name, id"),
        ),
        Operation(
            "cases_by_kind",
            "Cases list: All tab, by kind",
            lambda c, i: cases + "?sort=kind",
            # Stored on the case (the kind's order) and indexed with the firm.
            _cases("kind_rank, created_at DESC, id DESC"),
        ),
        Operation(
            "cases_by_owner",
            "Cases list: All tab, by owner (unassigned last)",
            lambda c, i: cases + "?sort=owner",
            # The owner's name, stored on the case and indexed with the firm.
            _cases("owner_sort_name NULLS LAST, id"),
        ),
        Operation(
            "cases_by_kind_deep",
            f"Cases list: by kind, the page after row {DEEP_TIE:,} (inside a tie)",
            _deep_cases_path("kind"),
            _deep_cases_raw(
                "kind",
                "kind_rank, created_at DESC, id DESC",
                "kind_rank = %s AND (created_at, id) < (%s, %s)",
            ),
        ),
        Operation(
            "cases_by_owner_deep",
            f"Cases list: by owner, the page after row {DEEP_TIE:,} (inside a tie)",
            _deep_cases_path("owner"),
            _deep_cases_raw(
                "owner",
                "owner_sort_name NULLS LAST, id",
                "owner_sort_name = %s AND id > %s",
            ),
        ),
    ]
    if support_case_available() and ctx.support_case_id is not None:
        support = reverse("support:case_list")
        ops += [
            Operation(
                "support_by_concern",
                "Support cases list: All tab, by concern level (highest first)",
                lambda c, i: support + "?sort=-concern",
                # Ties by the details' case id (the case's id), which their
                # index holds: SQLite does not see that c.id is the same.
                _support("s.concern_rank DESC, s.case_id DESC"),
            ),
            Operation(
                "support_by_start",
                "Support cases list: All tab, by start date",
                lambda c, i: support + "?sort=start",
                _support("s.start_date, s.case_id"),
            ),
            Operation(
                "support_by_manager",
                "Support cases list: All tab, by case manager (unassigned last)",
                lambda c, i: support + "?sort=owner",
                _support("c.owner_sort_name NULLS LAST, c.id"),
            ),
        ]
    # Every page first reads the session, the user and their memberships.
    return [replace(op, raw=with_request_context(op.raw)) for op in ops]
