"""Reads of the complaints register (M5): the list, counts, one complaint."""

import datetime
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Q, QuerySet

from crm.cases.models import Case
from crm.cases.policies import case_child_visibility
from crm.complaints.models import DUE_SOON_DAYS, Complaint
from crm.contacts.models import Contact
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm

ComplaintTab = Literal["open", "due", "overdue", "resolved", "all"]
TABS: tuple[ComplaintTab, ...] = ("open", "due", "overdue", "resolved", "all")
SORTS = frozenset(
    {"due_on", "-due_on", "received_on", "-received_on", "category", "-category"}
)
DEFAULT_SORT = "due_on"


@dataclass(frozen=True)
class ComplaintListQuery:
    """The register's typed filters, shared by the page and its CSV."""

    tab: ComplaintTab = "open"
    category: str = ""
    handler_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = DEFAULT_SORT


def due_soon_day(today: datetime.date) -> datetime.date:
    """Return the last deadline that counts as "due this week" on ``today``."""
    return today + datetime.timedelta(days=DUE_SOON_DAYS)


def complaint_list(
    *,
    firm: Firm,
    query: ComplaintListQuery,
    today: datetime.date,
    principal: Principal | None = None,
) -> QuerySet[Complaint]:
    """Return the register's complaints for ``query``, with case, client and handler.

    "due" keeps open complaints due within a week (overdue ones too);
    "overdue" those past their deadline. A member who sees only their own
    cases sees complaints about those and about clients without a case.
    """
    tabbed = Complaint.objects.filter(firm=firm)
    if query.tab == "open":
        tabbed = tabbed.open()
    elif query.tab == "due":
        tabbed = tabbed.due_by(due_soon_day(today))
    elif query.tab == "overdue":
        tabbed = tabbed.open().filter(due_on__lt=today)
    elif query.tab == "resolved":
        tabbed = tabbed.resolved()
    qs = case_child_visibility(tabbed, principal)
    if query.category:
        qs = qs.filter(category=query.category)
    if query.handler_id is not None:
        qs = qs.filter(handler_id=query.handler_id)
    if query.date_from is not None:
        qs = qs.filter(received_on__gte=query.date_from)
    if query.date_to is not None:
        qs = qs.filter(received_on__lte=query.date_to)
    sort = query.sort if query.sort in SORTS else DEFAULT_SORT
    return qs.select_related("case", "contact", "handler").order_by(
        sort, "-id" if sort.startswith("-") else "id"
    )


def complaint_counts(
    *, firm: Firm, today: datetime.date, principal: Principal | None = None
) -> dict[str, int]:
    """Return how many complaints are open, due this week and overdue, in one query."""
    open_ = Q(final_response_on=None)
    visible = case_child_visibility(Complaint.objects.filter(firm=firm), principal)
    row = visible.aggregate(
        open=Count("id", filter=open_),
        due=Count("id", filter=open_ & Q(due_on__lte=due_soon_day(today))),
        overdue=Count("id", filter=open_ & Q(due_on__lt=today)),
    )
    return {key: int(value or 0) for key, value in row.items()}


def complaints_due(
    *,
    firm: Firm,
    today: datetime.date,
    limit: int,
    principal: Principal | None = None,
) -> list[Complaint]:
    """Return the open complaints due within a week, soonest first (dashboard)."""
    due = Complaint.objects.filter(firm=firm).due_by(due_soon_day(today))
    return list(
        case_child_visibility(due, principal)
        .select_related("contact", "handler")
        .order_by("due_on", "id")[:limit]
    )


def complaint_get(
    *, firm: Firm, complaint_id: int, principal: Principal | None = None
) -> Complaint:
    """Return one of the firm's complaints the principal may see, or raise."""
    visible = case_child_visibility(Complaint.objects.filter(firm=firm), principal)
    found = (
        visible.filter(pk=complaint_id)
        .select_related("case", "contact", "handler", "created_by")
        .first()
    )
    if found is None:
        raise NotFound
    return found


def complaints_about(
    *, firm: Firm, case: Case | None = None, contact: Contact | None = None
) -> list[Complaint]:
    """Return the complaints about a case or a client, newest first.

    Only what a record's list shows is read (``complaints/_for_record.html``):
    reference, category, dates and outcome, not the handler or the texts; by
    SQL compiled once (``crm.core.prepared``).
    """
    if case is not None:
        return _COMPLAINTS(firm_id=firm.pk, owner_id=case.pk, by="case")
    if contact is None:
        msg = "Give a case or a contact."
        raise ValueError(msg)
    return _COMPLAINTS(firm_id=firm.pk, owner_id=contact.pk, by="contact")


def _complaints(*, firm_id: int, owner_id: int, by: str) -> QuerySet[Complaint]:
    """Return the complaints about case ``owner_id`` (``by="case"``) or a contact."""
    qs = Complaint.objects.filter(firm_id=firm_id, **{f"{by}_id": owner_id})
    shown = qs.only(
        "firm_id",
        "case_id",
        "contact_id",
        "number",
        "category",
        "received_on",
        "due_on",
        "final_response_on",
        "outcome",
    )
    return shown.order_by("-received_on", "-id")


_COMPLAINTS = Prepared(Complaint, _complaints)
