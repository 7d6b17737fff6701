"""Reads about cases of every kind: one case, a client's or lead's cases, search.

A case's ``follow_up_state`` ("overdue", "due" today, or "") is a property of
the model, worked out from its loaded columns.
"""

import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import (
    F,
    OrderBy,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from crm.cases import kinds as case_kinds
from crm.cases.models import Case, CaseApplicant, CaseEvent, CaseQuerySet
from crm.cases.policies import (
    case_visibility,
    case_visibility_as,
    child_visibility_of,
)
from crm.contacts.models import Contact
from crm.contacts.search import contact_match_ids, parse
from crm.core.keyset_prepared import PreparedPages
from crm.core.pagination import Page, keyset_page, keyset_paginate
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.leads.models import Lead

SEARCH_LIMIT = 500
# A reference is searched by a prefix, a title by a fragment, of at least
# this many characters.
TITLE_MIN = 3
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


def applicants_prefetch() -> "Prefetch[str, QuerySet[CaseApplicant], str]":
    return Prefetch(
        "applicants",
        queryset=CaseApplicant.objects.select_related("contact").order_by("position"),
    )


@dataclass(frozen=True)
class CaseSearch:
    """The ids of clients a search matched, and whether the cap cut them off."""

    contact_ids: list[int]
    capped: bool


def case_search(*, firm: Firm, q: str) -> CaseSearch | None:
    """Return the clients matching ``q`` for the Cases list, or None if no search."""
    if parse(q) is None:
        return None
    matches = contact_match_ids(firm=firm, q=q, limit=SEARCH_LIMIT)
    return CaseSearch(contact_ids=matches.ids, capped=matches.capped)


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
    qs = _filtered(
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
    fetch = functools.partial(
        _CASE_PAGES.fetch,
        firm_id=firm.pk,
        today=timezone.localdate(),
        row_only=True,
        **query,
        **child_visibility_of(principal),
    )
    return keyset_page(fetch, params=params, per_page=per_page)


def _filtered(
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
    today: date,
    created_from: date | None,
    created_to: date | None,
    sort: str,
    row_only: bool,
) -> CaseQuerySet:
    """Return ``case_list``'s cases before a search, from ids, days and shapes."""
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


_CASE_PAGES = PreparedPages(Case, _filtered, shapes=("kinds",))


def case_list_for_contact(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> CaseQuerySet:
    """Return the cases the client is on that ``principal`` may see, newest first."""
    return _for_contact(
        firm_id=firm.pk, contact_id=contact.pk, **child_visibility_of(principal)
    )


def case_rows_for_contact(
    *, firm: Firm, contact: Contact, principal: Principal | None, limit: int
) -> list[Case]:
    """Return the first ``limit`` of ``case_list_for_contact``, compiled once."""
    return _CONTACT_CASES(
        firm_id=firm.pk,
        contact_id=contact.pk,
        limit=limit,
        **child_visibility_of(principal),
    )


def _for_contact(
    *, firm_id: int, contact_id: int, seen: str, viewer_id: int | None = None
) -> CaseQuerySet:
    on_cases = CaseApplicant.objects.filter(firm_id=firm_id, contact_id=contact_id)
    qs = case_visibility_as(
        Case.objects.filter(firm_id=firm_id), seen=seen, viewer_id=viewer_id
    )
    qs = qs.filter(pk__in=on_cases.values("case_id")).select_related("owner")
    return qs.order_by("-created_at", "-id")


def _contact_cases(
    *,
    firm_id: int,
    contact_id: int,
    limit: int,
    seen: str,
    viewer_id: int | None = None,
) -> CaseQuerySet:
    return _for_contact(
        firm_id=firm_id, contact_id=contact_id, seen=seen, viewer_id=viewer_id
    )[:limit]


_CONTACT_CASES = Prepared(Case, _contact_cases, shapes=("limit",))


def case_list_for_lead(
    *, firm: Firm, lead: Lead, principal: Principal | None
) -> CaseQuerySet:
    """Return the lead's cases that ``principal`` may see, newest first."""
    qs = (
        case_visibility(Case.objects.filter(firm=firm), principal)
        .filter(lead=lead)
        .select_related("owner")
    )
    return qs.order_by("-created_at", "-id")


def case_history(*, firm: Firm, case: Case) -> QuerySet[CaseEvent]:
    """Return the case's history events with their actors, newest first."""
    return _history(firm_id=firm.pk, case_id=case.pk)


def _history(*, firm_id: int, case_id: int) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


_HISTORY = Prepared(CaseEvent, _history)


def case_history_rows(*, firm: Firm, case: Case) -> list[CaseEvent]:
    """Return ``case_history``'s rows, compiled once (``crm.core.prepared``)."""
    return _HISTORY(firm_id=firm.pk, case_id=case.pk)


def case_hits(
    *,
    firm: Firm,
    contacts: Sequence[Contact],
    q: str,
    limit: int,
    principal: Principal | None = None,
) -> list[Case]:
    """Return cases for the header search: by reference, title, then clients.

    Each source is read through its own index (the firm's reference btree, the
    applicants' contact index) instead of one OR across a join.
    """
    found: dict[int, None] = {}
    reference = q.strip().upper()
    if len(reference) >= TITLE_MIN:
        found.update(
            dict.fromkeys(
                # A range, not LIKE: SQLite's case-blind LIKE and PostgreSQL's
                # collations would both skip the (firm, reference) index.
                Case.objects.filter(
                    firm=firm,
                    reference__gte=reference,
                    reference__lt=reference + "\uffff",
                )
                .order_by()
                .values_list("id", flat=True)[:limit]
            )
        )
        titled = [k.value for k in case_kinds.kinds_for(firm) if k.titled]
        if titled and not found and not contacts:
            # Kinds whose cases have titles (support) are also found by a
            # fragment of the title, when the words matched no client and no
            # reference: titles have no fragment index, so a name search never
            # pays for scanning them.
            found.update(
                dict.fromkeys(
                    Case.objects.filter(
                        firm=firm, kind__in=titled, title__icontains=q.strip()
                    )
                    .order_by()
                    .values_list("id", flat=True)[:limit]
                )
            )
    if contacts and len(found) < limit:
        found.update(
            dict.fromkeys(
                CaseApplicant.objects.filter(
                    firm=firm, contact__in=[c.pk for c in contacts]
                )
                .order_by("-case_id")
                .values_list("case_id", flat=True)[:limit]
            )
        )
    if not found:
        return []
    return list(
        case_visibility(
            Case.objects.filter(firm=firm, pk__in=list(found)[:limit]), principal
        )
        .select_related("owner")
        .prefetch_related("applicants__contact")
        .order_by("-is_open", "-created_at")
    )


def case_follow_up_list(
    *, firm: Firm, owner_id: int | None, due_by: date
) -> CaseQuerySet:
    """Return open cases to follow up by ``due_by``, earliest first (C4)."""
    qs = (
        Case.objects.filter(firm=firm, is_open=True, follow_up_date__lte=due_by)
        .select_related("owner")
        .prefetch_related("applicants__contact")
    )
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("follow_up_date", "id")


def recent_activity(
    *, firm: Firm, owner_id: int, since: datetime, limit: int
) -> list[CaseEvent]:
    """Return the newest history events since ``since`` on the owner's open cases.

    For the dashboard (L1): each event comes with its case and actor. The
    firm's events are read newest first (``case_event_recent``) until the
    owner's open cases have given ``limit``.
    """
    return list(
        CaseEvent.objects.filter(
            firm=firm,
            case__owner_id=owner_id,
            case__is_open=True,
            created_at__gte=since,
        )
        .select_related("case", "actor")
        .order_by("-created_at", "-id")[:limit]
    )
