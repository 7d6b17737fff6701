"""The Cases list's read: filters, tabs, sorts and pages by key (D2).

The page, its CSV export and the API build the same queryset
(``case_list``); without a search the page's statements are compiled once a
process (``case_page``, through ``crm.core.keyset_prepared``).
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import F, OrderBy, Q
from django.utils import timezone

from crm.cases import kinds as case_kinds
from crm.cases.models import Case, CaseApplicant, CaseQuerySet
from crm.cases.policies import case_visibility_as, child_visibility_of
from crm.cases.selectors.cases import CaseSearch, applicants_prefetch, case_search
from crm.core.keyset_prepared import PreparedPages
from crm.core.pagination import Page, keyset_paginate
from crm.core.principals import Principal
from crm.firms.models import Firm

TABS = ("all", "open", "closed")
FOLLOW_UP_FILTERS = ("due", "overdue")


CASE_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "reference": ("kind", "number", "id"),
    "-reference": ("-kind", "-number", "-id"),
    # The main applicant's sort name, stored and indexed
    # (``Case.client_sort_name``).
    "client": ("client_sort_name", "id"),
    "-client": ("-client_sort_name", "-id"),
    # The kinds' menu order, stored and indexed (``Case.kind_rank``), newest
    # first within a kind.
    "kind": ("kind_rank", "-created_at", "-id"),
    "-kind": ("-kind_rank", "-created_at", "-id"),
    # Pipeline order, stored and indexed (``Case.status_rank``).
    "status": ("status_rank", "-created_at", "-id"),
    "-status": ("-status_rank", "-created_at", "-id"),
    # The owner's full name, stored and indexed (``Case.owner_sort_name``);
    # unassigned (NULL) last either way.
    "owner": (F("owner_sort_name").asc(nulls_last=True), "id"),
    "-owner": (F("owner_sort_name").desc(nulls_last=True), "-id"),
    "follow_up": (F("follow_up_date").asc(nulls_last=True), "id"),
    "-follow_up": (F("follow_up_date").desc(nulls_last=True), "-id"),
}
DEFAULT_SORT = "-created"

# What a row of the Cases list draws (reference and link, kind, status badge,
# follow-up, created, the owner's name), for ``case_list(row_only=True)``: the
# rest of a case's 26 columns and its owner's ten (a password hash among them)
# cost their conversion and model set-up on every row. Reading another field
# of a listed case costs a query; the list's query-count test draws every
# column. Sorts need no field here: the page's keys are read as annotations.
ROW_FIELDS = (
    "id",
    "firm_id",
    "kind",
    "reference",
    "status",
    "is_open",
    "follow_up_date",
    "created_at",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
)


@dataclass(frozen=True)
class CaseListQuery:
    """The Cases list's filters, tab and sort, parsed once from the query string.

    Built by the list's FilterSet; the page, the CSV export and the API pass it
    to ``case_list`` (``**query.as_kwargs()``), so they always agree.
    """

    tab: str = "all"
    kind: str = ""
    kinds: tuple[str, ...] | None = None
    status: str = ""
    owner_id: int | None = None
    introducer_id: int | None = None
    follow_up: str = ""
    created_from: date | None = None
    created_to: date | None = None
    q: str = ""
    sort: str = DEFAULT_SORT

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``case_list``'s keyword arguments."""
        return asdict(self)


def case_list(
    *,
    firm: Firm,
    tab: str = "all",
    kind: str = "",
    kinds: tuple[str, ...] | None = None,
    status: str = "",
    owner_id: int | None = None,
    introducer_id: int | None = None,
    follow_up: str = "",
    created_from: date | None = None,
    created_to: date | None = None,
    q: str = "",
    search: CaseSearch | None = None,
    sort: str = DEFAULT_SORT,
    principal: Principal | None = None,
    applicants: bool = True,
    row_only: bool = False,
) -> CaseQuerySet:
    """Return the firm's cases filtered and sorted, with adviser and clients.

    ``tab`` is "all", "open" or "closed"; ``follow_up`` is "due" (today) or
    "overdue", both of open cases only; ``q`` matches the start of a case
    reference or a client found by the contact search (pass ``search`` when
    the caller already ran it). A page that shows only the clients' names
    passes ``applicants=False`` and ``attach_clients`` to the cases it shows;
    with ``row_only`` the cases carry only what a Cases list row draws
    (``ROW_FIELDS``).
    """
    qs = case_filtered(
        firm_id=firm.pk,
        tab=tab,
        kind=kind,
        kinds=kinds,
        status=status,
        owner_id=owner_id,
        introducer_id=introducer_id,
        follow_up=follow_up,
        today=timezone.localdate(),
        created_from=created_from,
        created_to=created_to,
        sort=sort,
        row_only=row_only,
        **child_visibility_of(principal),
    )
    if term := q.strip():
        search = search or case_search(firm=firm, q=term)
        ids = search.contact_ids if search is not None else []
        by_reference = Q(reference__istartswith=term)
        by_client = Q(
            pk__in=CaseApplicant.objects.filter(firm=firm, contact_id__in=ids).values(
                "case_id"
            )
        )
        qs = qs.filter(by_reference | by_client) if ids else qs.filter(by_reference)
    return qs.prefetch_related(applicants_prefetch()) if applicants else qs


def case_page(
    *,
    firm: Firm,
    principal: Principal | None,
    params: Any,
    per_page: int,
    search: CaseSearch | None = None,
    **query: Any,
) -> Page[Case]:
    """Return a page of the Cases list's rows (``row_only``), read by key (D2).

    Without a search its statements are compiled once a process
    (``CASE_PAGES``), with the same SQL, rows and cursors as
    ``keyset_paginate(case_list(...))``; a search is read through the ORM.
    """
    if query.get("q", "").strip():
        cases = case_list(
            firm=firm,
            principal=principal,
            search=search,
            applicants=False,
            row_only=True,
            **query,
        )
        return keyset_paginate(cases, params=params, per_page=per_page)
    del query["q"]
    return _CASE_PAGES.page(
        firm_id=firm.pk,
        params=params,
        per_page=per_page,
        today=timezone.localdate(),
        row_only=True,
        **query,
        **child_visibility_of(principal),
    )


def case_filtered(
    *,
    firm_id: int,
    seen: str,
    viewer_id: int | None = None,
    tab: str,
    kind: str,
    kinds: tuple[str, ...] | None,
    status: str,
    owner_id: int | None,
    introducer_id: int | None,
    follow_up: str,
    today: date | None = None,
    created_from: date | None,
    created_to: date | None,
    sort: str,
    row_only: bool,
) -> CaseQuerySet:
    """Return ``case_list``'s cases before a search, from ids, days and shapes.

    The Support cases list builds on it too. ``today`` is the day the
    follow-up filters compare with (an argument, so a kept statement holds no
    day of its own).
    """
    qs = case_visibility_as(
        Case.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    if tab == "open":
        qs = qs.open()
    elif tab == "closed":
        qs = qs.closed()
    chosen: tuple[str, ...] | None = kinds
    if case_kinds.find(kind) is not None:
        chosen = (kind,)
        qs = qs.filter(kind=kind)
    elif kinds is not None:
        qs = qs.filter(kind__in=kinds)
    if chosen and sort.lstrip("-") == "kind":
        # The same cases, said as the range of their kinds' stored ranks: the
        # rank index is then read from the first chosen kind (a list of
        # advice cases by kind, latest kind first, would otherwise pass every
        # support case first) and stops after a page.
        ranks = sorted({case_kinds.kind_rank(value) for value in chosen})
        if connection.vendor == "sqlite":
            # SQLite reads a list of ranks in order, one equality each, and
            # keeps a keyset page's ``kind_rank = x`` usable; beside a range
            # on the same column it takes the range and sorts what follows
            # (the page after row 100,000: 228 ms against 0.2).
            qs = qs.filter(kind_rank__in=ranks)
        else:
            # PostgreSQL 15 does not read a list of ranks in index order.
            qs = qs.filter(kind_rank__gte=ranks[0], kind_rank__lte=ranks[-1])
    if status in dict(case_kinds.status_choices()):
        qs = qs.filter(status=status)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if introducer_id is not None:
        qs = qs.filter(introducer_id=introducer_id)
    if follow_up in FOLLOW_UP_FILTERS:
        qs = qs.open()
        if follow_up == "due":
            qs = qs.filter(follow_up_date=today)
        else:
            qs = qs.filter(follow_up_date__lt=today)
    if created_from is not None:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to is not None:
        qs = qs.filter(created_at__date__lte=created_to)
    order = CASE_SORTS.get(sort, CASE_SORTS[DEFAULT_SORT])
    qs = qs.select_related("owner").order_by(*order)
    return qs.only(*ROW_FIELDS) if row_only else qs


_CASE_PAGES = PreparedPages(Case, case_filtered, shapes=("kinds",))
