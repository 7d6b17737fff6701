"""The Leads list's read: filters, sorts and pages by key (C2).

The page, the API and the tests build the same queryset (``lead_list``);
without a search the page's statements are compiled once a process
(``lead_page``, through ``crm.core.keyset_prepared``).
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db.models import F, OrderBy, Q
from django.utils import timezone

from crm.contacts.models import NAME_FIELDS
from crm.contacts.normalise import fold
from crm.core.keyset_prepared import PreparedPages
from crm.core.pagination import Page, keyset_paginate
from crm.firms.models import Firm
from crm.leads.choices import LeadStatus
from crm.leads.models import Lead, LeadQuerySet

FOLLOW_UP_ASC = F("follow_up_date").asc(nulls_last=True)
FOLLOW_UP_DESC = F("follow_up_date").desc(nulls_last=True)

LEAD_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "follow_up": (FOLLOW_UP_ASC, "id"),
    "-follow_up": (FOLLOW_UP_DESC, "-id"),
    # The client's sort name, stored and indexed (``Lead.client_sort_name``).
    "name": ("client_sort_name", "id"),
    "-name": ("-client_sort_name", "-id"),
    # Pipeline order, stored and indexed (``Lead.status_rank``).
    "status": ("status_rank", "-created_at", "-id"),
    "-status": ("-status_rank", "-created_at", "-id"),
}
DEFAULT_SORT = "-created"
FOLLOW_UP_FILTERS = ("due", "overdue")

# What a row of the Leads list draws (the client's name and link, status,
# adviser, introducer or source, follow-up, created), for ``lead_page``: the
# rest of a lead's 19 columns, its client's 39 and its adviser's ten (a
# password hash among them) cost their conversion and model set-up on every
# row. Reading another field of a listed lead costs a query; the list's
# query-count test draws every column. Sorts need no field here: the page's
# keys are read as annotations.
ROW_FIELDS = (
    "id",
    "firm_id",
    "status",
    "source",
    "follow_up_date",
    "created_at",
    *(f"contact__{name}" for name in NAME_FIELDS),
    "introducer__name",
    "owner__first_name",
    "owner__last_name",
    "owner__email",
)


@dataclass(frozen=True)
class LeadListQuery:
    """The Leads list's filters and sort, parsed once from the query string.

    Built by ``crm.leads.filters.LeadFilterSet`` and passed to ``lead_list``
    (``**query.as_kwargs()``).
    """

    status: str | None = None
    owner_id: int | None = None
    source: str = ""
    introducer_id: int | None = None
    follow_up: str = ""
    q: str = ""
    sort: str = DEFAULT_SORT

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``lead_list``'s keyword arguments."""
        return asdict(self)


def lead_list(
    *,
    firm: Firm,
    status: str | None = None,
    owner_id: int | None = None,
    source: str = "",
    introducer_id: int | None = None,
    follow_up: str = "",
    q: str = "",
    sort: str = DEFAULT_SORT,
    row_only: bool = False,
) -> LeadQuerySet:
    """Return the firm's leads filtered and sorted, with client, adviser, introducer.

    ``status`` is a ``LeadStatus`` value or "open" for every open status;
    ``follow_up`` is "due" (today) or "overdue", both of open leads only;
    ``q`` matches part of the client's name or the start of their e-mail.
    With ``row_only`` the leads carry only what a row draws (``ROW_FIELDS``).
    """
    qs = _leads(
        firm_id=firm.pk,
        status=status,
        owner_id=owner_id,
        source=source,
        introducer_id=introducer_id,
        follow_up=follow_up,
        today=timezone.localdate(),
        sort=sort,
        row_only=row_only,
    )
    if term := q.strip():
        folded = fold(term)
        qs = qs.filter(
            Q(contact__search_name__contains=folded)
            | Q(contact__email_norm__startswith=term.lower())
        )
    return qs


def lead_page(*, firm: Firm, params: Any, per_page: int, **query: Any) -> Page[Lead]:
    """Return a page of ``lead_list`` read by key (C2).

    Without a search its statements are compiled once a process
    (``crm.core.keyset_prepared``): the same rows and cursors.
    """
    if query.get("q", "").strip():
        leads = lead_list(firm=firm, row_only=True, **query)
        return keyset_paginate(leads, params=params, per_page=per_page)
    del query["q"]
    return _LEAD_PAGES.page(
        firm_id=firm.pk,
        params=params,
        per_page=per_page,
        today=timezone.localdate(),
        row_only=True,
        **query,
    )


def _leads(
    *,
    firm_id: int,
    status: str | None,
    owner_id: int | None,
    source: str,
    introducer_id: int | None,
    follow_up: str,
    today: date,
    sort: str,
    row_only: bool = False,
) -> LeadQuerySet:
    """Return ``lead_list``'s leads before a search, from ids, a day and shapes."""
    qs = Lead.objects.filter(firm_id=firm_id).select_related(
        "contact", "owner", "introducer"
    )
    if status == "open":
        qs = qs.open()
    elif status in LeadStatus.values:
        qs = qs.filter(status=status)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if source:
        qs = qs.filter(source=source)
    if introducer_id is not None:
        qs = qs.filter(introducer_id=introducer_id)
    if follow_up in FOLLOW_UP_FILTERS:
        qs = qs.open()
        if follow_up == "due":
            qs = qs.filter(follow_up_date=today)
        else:
            qs = qs.filter(follow_up_date__lt=today)
    qs = qs.order_by(*LEAD_SORTS.get(sort, LEAD_SORTS[DEFAULT_SORT]))
    return qs.only(*ROW_FIELDS) if row_only else qs


_LEAD_PAGES = PreparedPages(Lead, _leads)
