"""Reads about leads: one lead, lists, the pipeline board, history (C1, C2, C4).

A lead's ``follow_up_state`` ("overdue", "due" today, or "") is a property of
the model; the shared include ``leads/_follow_up.html`` turns it into a badge.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone

from crm.contacts.models import Contact
from crm.core.exceptions import NotFound
from crm.core.pagination import COUNT_CAP
from crm.core.prepared import Prepared
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, IntroducerBranch, Negotiator, User
from crm.leads.choices import OPEN_STATUSES, TRANSITIONS, LeadStatus
from crm.leads.listing import DEFAULT_SORT as DEFAULT_SORT  # re-exported: the list
from crm.leads.listing import FOLLOW_UP_ASC
from crm.leads.listing import FOLLOW_UP_FILTERS as FOLLOW_UP_FILTERS
from crm.leads.listing import LEAD_SORTS as LEAD_SORTS
from crm.leads.listing import LeadListQuery as LeadListQuery
from crm.leads.listing import lead_list as lead_list
from crm.leads.listing import lead_page as lead_page
from crm.leads.models import Lead, LeadEvent, LeadQuerySet

BOARD_CARDS_PER_COLUMN = 50
# The board's "Recently converted" column shows leads converted this many days ago.
RECENTLY_CONVERTED_DAYS = 30

Choices = list[tuple[int, str]]
GroupedChoices = list[tuple[str, Choices]]


def allowed_moves(status: str, *, open_only: bool = False) -> list[LeadStatus]:
    """Return the statuses ``lead_move`` accepts from ``status``, in pipeline order.

    Converted is never offered: a lead is converted by adding a case.
    """
    allowed = TRANSITIONS.get(status, frozenset())
    return [
        s
        for s in LeadStatus
        if s in allowed
        and s != LeadStatus.CONVERTED
        and (not open_only or s in OPEN_STATUSES)
    ]


def lead_for_case(*, firm: Firm, lead_id: int) -> Lead:
    """Return one of the firm's leads with its client only, or raise ``NotFound``.

    What converting it to a case reads (its status, owner and introducer ids,
    its client for the timeline): joining ``lead_get``'s five other rows took
    PostgreSQL 3 ms to plan, against 0.5 ms for this.
    """
    try:
        return Lead.objects.select_related("contact").get(firm=firm, pk=lead_id)
    except Lead.DoesNotExist as exc:
        raise NotFound from exc


def lead_get(*, firm: Firm, lead_id: int) -> Lead:
    """Return one of the firm's leads with its related rows, or raise ``NotFound``."""
    qs = Lead.objects.filter(firm=firm).select_related(
        "contact",
        "owner",
        "introducer",
        "introducer_branch",
        "negotiator",
        "created_by",
    )
    try:
        return qs.get(pk=lead_id)
    except Lead.DoesNotExist as exc:
        raise NotFound from exc


@dataclass(frozen=True)
class BoardColumn:
    """One open status on the pipeline board: its first cards and its total."""

    status: LeadStatus
    leads: list[Lead]
    count: int
    moves: list[LeadStatus]

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def more(self) -> int:
        """Return how many leads of this status are not shown as cards."""
        return self.count - len(self.leads)


def lead_status_counts(*, firm: Firm, owner_id: int | None = None) -> dict[str, int]:
    """Return the number of open leads per status, in one query.

    Every status is a key; closed ones (Converted, Not Proceeding) are 0, as
    the board and the dashboard show open leads only.
    """
    qs = Lead.objects.filter(firm=firm, status__in=OPEN_STATUSES)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    counts = qs.aggregate(
        **{
            str(status): Count("pk", filter=Q(status=status))
            for status in OPEN_STATUSES
        }
    )
    return {value: int(counts.get(value) or 0) for value in LeadStatus.values}


def lead_board(
    *,
    firm: Firm,
    owner_id: int | None = None,
    per_column: int = BOARD_CARDS_PER_COLUMN,
) -> list[BoardColumn]:
    """Return the pipeline board: one column per open status, in two queries.

    Each column holds its first ``per_column`` leads, soonest follow-up first
    (leads with none last), then oldest first; ``count`` is the exact total.
    """
    counts = lead_status_counts(firm=firm, owner_id=owner_id)
    qs = Lead.objects.filter(firm=firm).open()
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    order = (FOLLOW_UP_ASC, F("created_at").asc(), F("id").asc())
    ranked = (
        qs.select_related("contact", "owner", "introducer")
        .annotate(
            column_rank=Window(RowNumber(), partition_by=F("status"), order_by=order)
        )
        .filter(column_rank__lte=per_column)
        .order_by(*order)
    )
    cards: dict[str, list[Lead]] = {status: [] for status in OPEN_STATUSES}
    for lead in ranked:
        cards[lead.status].append(lead)
    return [
        BoardColumn(
            status=status,
            leads=cards[status],
            count=counts[status],
            moves=allowed_moves(status, open_only=True),
        )
        for status in OPEN_STATUSES
    ]


@dataclass(frozen=True)
class ConvertedColumn:
    """The board's "Recently converted" column: its newest cards and its total."""

    leads: list[Lead]
    count: int
    days: int

    @property
    def more(self) -> int:
        """Return how many recently converted leads are not shown as cards."""
        return self.count - len(self.leads)


def lead_converted_column(
    *,
    firm: Firm,
    owner_id: int | None = None,
    days: int = RECENTLY_CONVERTED_DAYS,
    per_column: int = BOARD_CARDS_PER_COLUMN,
) -> ConvertedColumn:
    """Return the leads converted in the last ``days`` days, newest first (C3).

    Two queries whatever the number of leads: a capped count and the cards.
    """
    since = timezone.now() - timedelta(days=days)
    qs = Lead.objects.filter(
        firm=firm, status=LeadStatus.CONVERTED, converted_at__gte=since
    )
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    count = qs.order_by()[: COUNT_CAP + 1].count()
    cards = list(
        qs.select_related("contact", "owner", "introducer").order_by(
            "-converted_at", "-id"
        )[:per_column]
    )
    return ConvertedColumn(leads=cards, count=count, days=days)


def lead_history(*, firm: Firm, lead: Lead) -> QuerySet[LeadEvent]:
    """Return the lead's history events with their actors, newest first."""
    return (
        LeadEvent.objects.filter(firm=firm, lead=lead)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def lead_rows_for_contact(*, firm: Firm, contact: Contact, limit: int) -> list[Lead]:
    """Return the first ``limit`` of ``lead_list_for_contact``, compiled once."""
    return _CONTACT_LEADS(firm_id=firm.pk, contact_id=contact.pk, limit=limit)


def _contact_leads(*, firm_id: int, contact_id: int, limit: int) -> LeadQuerySet:
    return _for_contact(Lead.objects.filter(firm_id=firm_id, contact_id=contact_id))[
        :limit
    ]


_CONTACT_LEADS = Prepared(Lead, _contact_leads, shapes=("limit",))


def lead_list_for_contact(*, firm: Firm, contact: Contact) -> LeadQuerySet:
    """Return the client's leads with their adviser, newest first.

    Only what the client record's list shows is read (status, source, date,
    the adviser's name): compiling the lead's, its adviser's and its
    introducer's every column cost more than the rows.
    """
    return _for_contact(Lead.objects.filter(firm=firm, contact=contact))


def _for_contact(qs: LeadQuerySet) -> LeadQuerySet:
    shown = qs.select_related("owner").only(
        "firm_id",
        "contact_id",
        "status",
        "source",
        "created_at",
        "owner__first_name",
        "owner__last_name",
    )
    return shown.order_by("-created_at", "-id")


def lead_follow_up_list(
    *, firm: Firm, owner_id: int | None, due_by: date
) -> QuerySet[Lead]:
    """Return open leads to follow up by ``due_by``, earliest first (C4).

    ``owner_id`` limits the list to one adviser's leads; None means everyone's.
    """
    qs = (
        Lead.objects.filter(firm=firm, follow_up_date__lte=due_by)
        .open()
        .select_related("contact", "owner")
    )
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("follow_up_date", "id")


# Pickers for the lead form


def adviser_get(*, firm: Firm, user_id: int) -> User:
    """Return an active member who may own work, by user id, or raise ``NotFound``."""
    user = firm_selectors.owner_get(firm=firm, user_id=user_id)
    if user is None:
        raise NotFound
    return user


def introducer_branch_options(*, firm: Firm) -> GroupedChoices:
    """Return every active introducer's active branches, grouped by introducer."""
    rows = (
        IntroducerBranch.objects.filter(
            firm=firm, is_active=True, introducer__is_active=True
        )
        .order_by(Lower("introducer__name"), "introducer_id", Lower("name"), "id")
        .values_list("pk", "name", "introducer__name")
    )
    groups: dict[str, Choices] = {}
    for pk, name, introducer_name in rows:
        groups.setdefault(introducer_name, []).append((pk, name))
    return list(groups.items())


def negotiator_options(*, firm: Firm) -> GroupedChoices:
    """Return the active negotiators at active branches, grouped by branch."""
    rows = (
        Negotiator.objects.filter(
            firm=firm,
            is_active=True,
            branch__is_active=True,
            branch__introducer__is_active=True,
        )
        .order_by(
            Lower("branch__introducer__name"),
            Lower("branch__name"),
            "branch_id",
            Lower("name"),
            "id",
        )
        .values_list("pk", "name", "branch__name", "branch__introducer__name")
    )
    groups: dict[str, Choices] = {}
    for pk, name, branch_name, introducer_name in rows:
        groups.setdefault(f"{introducer_name}: {branch_name}", []).append((pk, name))
    return list(groups.items())


def lead_hits(
    *,
    firm: Firm,
    contacts: Sequence[Contact],
    limit: int,
    **_: Any,
) -> list[Lead]:
    """Return the open leads of ``contacts`` for the header search's Leads group.

    Each lead is given its client from ``contacts``, already read, instead of
    joining the contacts again.
    """
    if not contacts:
        return []
    by_id = {c.pk: c for c in contacts}
    leads = list(
        Lead.objects.filter(firm=firm, contact__in=list(by_id))
        .open()
        .order_by("-created_at")[:limit]
    )
    for lead in leads:
        lead.contact = by_id[lead.contact_id]
    return leads
