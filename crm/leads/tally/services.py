"""Keeping the lead tally: each lead service moves a lead's count (B2).

As for cases (``crm.cases.tally.services``): ``state_of`` before and after a
change, ``lead_moved`` sends the difference in one upsert; ``rebuild``
recounts a firm from its leads.
"""

import datetime
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.core import rollups
from crm.leads.choices import LeadStatus
from crm.leads.models import Lead
from crm.leads.tally.models import KEY, LeadTally

CONVERTED, LOST = "converted", "lost"
BY_BOTH = "x"
Key = tuple[Any, ...]


def outcome_of(status: str) -> str:
    """Return the outcome a status counts under."""
    if status == LeadStatus.CONVERTED:
        return CONVERTED
    if status == LeadStatus.NOT_PROCEEDING:
        return LOST
    return ""


@dataclass(frozen=True)
class LeadState:
    """What the tally counts of one lead."""

    received: datetime.date
    owner: int
    introducer: int
    outcome: str


def state_of(lead: Any) -> LeadState:
    """Return ``lead``'s tally state."""
    return LeadState(
        received=timezone.localdate(lead.created_at, rollups.zone()),
        owner=lead.owner_id or 0,
        introducer=lead.introducer_id or 0,
        outcome=outcome_of(lead.status),
    )


def keys(
    day: datetime.date, owner: int, introducer: int, outcome: str
) -> Iterator[Key]:
    """Yield the keys (after the firm) of a lead received on ``day``."""
    for grain, period in rollups.periods(day):
        yield (grain, rollups.EVERYONE, period, 0, 0, outcome)
        yield (grain, rollups.BY_OWNER, period, owner, 0, outcome)
        yield (grain, rollups.BY_INTRODUCER, period, 0, introducer, outcome)
        yield (grain, BY_BOTH, period, owner, introducer, outcome)


def lead_moved(
    *, firm_id: int, before: LeadState | None, after: LeadState | None
) -> int:
    """Move one lead's count from ``before`` to ``after`` (None: none)."""
    if before == after:
        return 0
    deltas: Counter[Key] = Counter()
    if before is not None:
        for key in keys(
            before.received, before.owner, before.introducer, before.outcome
        ):
            deltas[(firm_id, *key)] -= 1
    if after is not None:
        for key in keys(after.received, after.owner, after.introducer, after.outcome):
            deltas[(firm_id, *key)] += 1
    return rollups.upsert(LeadTally, KEY, deltas)


def tally_counts(lead_model: type[models.Model], firm_id: int) -> Counter[Key]:
    """Return a firm's tally computed from its leads with one GROUP BY."""
    counts: Counter[Key] = Counter()
    rows = (
        lead_model._default_manager.filter(firm_id=firm_id)
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=rollups.zone()))
        .values_list("day", "owner_id", "introducer_id", "status")
        .annotate(n=Count("id"))
    )
    for day, owner, introducer, status, n in rows.iterator():
        for key in keys(day, owner or 0, introducer or 0, outcome_of(status)):
            counts[key] += n
    return counts


def rebuild_firm(
    *, firm_id: int, lead_model: type[models.Model], tally_model: type[models.Model]
) -> int:
    """Replace a firm's tally rows with a fresh count; return the rows written."""
    counts = tally_counts(lead_model, firm_id)
    return rollups.replace_rows(
        tally_model, firm_id=firm_id, fields=KEY[1:], counts=counts
    )


def rebuild(firm_ids: Sequence[int] | None = None) -> int:
    """Recompute the tally of ``firm_ids`` (None: every firm with a lead)."""
    with scopes_disabled():
        if firm_ids is None:
            firm_ids = rollups.firms_with(Lead, LeadTally)
        return sum(
            rebuild_firm(firm_id=firm_id, lead_model=Lead, tally_model=LeadTally)
            for firm_id in firm_ids
        )
