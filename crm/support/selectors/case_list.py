"""The Support cases list's read: filters, tabs, sorts and pages by key (I1).

Built on the Cases list's (``crm.cases.selectors.case_filtered``); without a
search the page's statements are compiled once a process
(``support_case_page``, through ``crm.core.keyset_prepared``).
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db.models import F, OrderBy, Q

from crm.cases import selectors as case_selectors
from crm.cases.models import Case, CaseApplicant, CaseQuerySet
from crm.cases.policies import child_visibility_of
from crm.core.keyset_prepared import PreparedPages
from crm.core.pagination import Page, keyset_paginate
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.support.choices import ConcernLevel, SupportKind

SUPPORT_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    # Ties are broken by the details' own case id before the case's (the same
    # value): PostgreSQL knows the two are equal, SQLite does not, and without
    # it sorts every case of a level or date to find a page.
    "start": (
        F("support__start_date").asc(nulls_last=True),
        "support__case_id",
        "id",
    ),
    "-start": (
        F("support__start_date").desc(nulls_last=True),
        "-support__case_id",
        "-id",
    ),
    # Stored and indexed on the details (``concern_rank``); newest case first
    # within a level, by id, which the same index holds.
    "concern": ("support__concern_rank", "-support__case_id", "-id"),
    "-concern": ("-support__concern_rank", "-support__case_id", "-id"),
}

# What a row of the Support cases list draws: the Cases list's row (the
# reference, status badge, created, the case manager's name) and the title,
# the details' start date and concern level, and the pathway's name.
ROW_FIELDS = (
    *case_selectors.ROW_FIELDS,
    "title",
    "support__start_date",
    "support__concern_level",
    "support__pathway__name",
)


@dataclass(frozen=True)
class SupportCaseListQuery:
    """The support Cases list's filters, tab and sort, parsed once.

    Built by ``crm.support.filters.SupportCaseFilterSet``; the page, the CSV
    and the API pass it to ``support_case_list`` (``**query.as_kwargs()``).
    """

    tab: str = "all"
    owner_id: int | None = None
    status: str = ""
    concern: str = ""
    pathway_id: int | None = None
    start_from: date | None = None
    start_to: date | None = None
    q: str = ""
    sort: str = case_selectors.DEFAULT_SORT

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``support_case_list``'s keyword arguments."""
        return asdict(self)


def support_case_list(
    *,
    firm: Firm,
    tab: str = "all",
    owner_id: int | None = None,
    status: str = "",
    concern: str = "",
    pathway_id: int | None = None,
    start_from: date | None = None,
    start_to: date | None = None,
    q: str = "",
    sort: str = case_selectors.DEFAULT_SORT,
    principal: Principal | None = None,
    applicants: bool = True,
    row_only: bool = False,
) -> CaseQuerySet:
    """Return the firm's support cases filtered and sorted, with manager,
    beneficiary, pathway and concern level loaded.

    With ``row_only`` the cases carry only what a row of the Support cases
    list draws (``ROW_FIELDS``; reading anything else costs a query).

    ``q`` finds a case by the start of its reference, a word of its title or
    its beneficiary (found by the contact search: part of a name, e-mail or
    phone). Sorts are the Cases list's plus "title", "start" and "concern".
    """
    qs = _support_cases(
        firm_id=firm.pk,
        tab=tab,
        owner_id=owner_id,
        status=status,
        concern=concern,
        pathway_id=pathway_id,
        start_from=start_from,
        start_to=start_to,
        sort=sort,
        row_only=row_only,
        **child_visibility_of(principal),
    )
    if term := q.strip():
        search = case_selectors.case_search(firm=firm, q=term)
        ids = search.contact_ids if search is not None else []
        match = Q(reference__istartswith=term) | Q(title__icontains=term)
        if ids:
            match |= Q(
                pk__in=CaseApplicant.objects.filter(
                    firm=firm, contact_id__in=ids
                ).values("case_id")
            )
        qs = qs.filter(match)
    if applicants:
        return qs.prefetch_related(case_selectors.applicants_prefetch())
    return qs


def support_list_page(
    *, firm: Firm, principal: Principal | None, params: Any, per_page: int, **query: Any
) -> Page[Case]:
    """Return a page of the list's rows (``row_only``), read by key (I1).

    Without a search its statements are compiled once a process
    (``crm.core.keyset_prepared``): the same rows and cursors as
    ``keyset_paginate(support_case_list(...))``.
    """
    if query.get("q", "").strip():
        cases = support_case_list(
            firm=firm, principal=principal, applicants=False, row_only=True, **query
        )
        return keyset_paginate(cases, params=params, per_page=per_page)
    del query["q"]
    return _SUPPORT_PAGES.page(
        firm_id=firm.pk,
        params=params,
        per_page=per_page,
        row_only=True,
        **query,
        **child_visibility_of(principal),
    )


def _support_cases(
    *,
    firm_id: int,
    seen: str,
    viewer_id: int | None = None,
    tab: str,
    owner_id: int | None,
    status: str,
    concern: str,
    pathway_id: int | None,
    start_from: date | None,
    start_to: date | None,
    sort: str,
    row_only: bool,
) -> CaseQuerySet:
    """Return ``support_case_list``'s cases before a search (ids, days, shapes)."""
    qs = case_selectors.case_filtered(
        firm_id=firm_id,
        seen=seen,
        viewer_id=viewer_id,
        tab=tab,
        kind=SupportKind.SUPPORT,
        kinds=None,
        status=status,
        owner_id=owner_id,
        introducer_id=None,
        follow_up="",
        created_from=None,
        created_to=None,
        sort=sort if sort in case_selectors.CASE_SORTS else case_selectors.DEFAULT_SORT,
        row_only=False,
    )
    if concern in ConcernLevel.values:
        qs = qs.filter(support__concern_level=concern)
    if pathway_id is not None:
        qs = qs.filter(support__pathway_id=pathway_id)
    if start_from is not None:
        qs = qs.filter(support__start_date__gte=start_from)
    if start_to is not None:
        qs = qs.filter(support__start_date__lte=start_to)
    if sort in SUPPORT_SORTS:
        # Every support case has its details: joined, not outer-joined, and
        # filtered by the details' own firm, so a sort on them reads their
        # (firm, ...) index in order and stops after a page. The case's firm
        # alone does not say the details' firm to the database, which then
        # joined and sorted every support case of the firm.
        qs = qs.filter(support__firm_id=firm_id).order_by(*SUPPORT_SORTS[sort])
    qs = qs.select_related("support", "support__pathway")
    return qs.only(*ROW_FIELDS) if row_only else qs


_SUPPORT_PAGES = PreparedPages(Case, _support_cases)
