"""Reading the lead tally for the conversion report (see ``crm.leads.tally``)."""

import datetime
from typing import TYPE_CHECKING

from django.db.models import Sum

from crm.core import rollups
from crm.leads.tally.models import LeadTally
from crm.leads.tally.services import BY_BOTH

if TYPE_CHECKING:
    from crm.firms.models import Firm


def received_counts(
    *,
    firm: "Firm",
    date_from: datetime.date,
    date_to: datetime.date,
    owner_id: int | None = None,
    introducer_id: int | None = None,
) -> dict[tuple[datetime.date, str], int]:
    """Return leads received per (month, outcome) in the range, in one query."""
    if owner_id is not None and introducer_id is not None:
        by = BY_BOTH
    elif owner_id is not None:
        by = rollups.BY_OWNER
    elif introducer_id is not None:
        by = rollups.BY_INTRODUCER
    else:
        by = rollups.EVERYONE
    qs = LeadTally.objects.filter(rollups.range_q(date_from, date_to, by=by), firm=firm)
    if owner_id is not None:
        qs = qs.filter(owner_key=owner_id)
    if introducer_id is not None:
        qs = qs.filter(introducer_key=introducer_id)
    counts: dict[tuple[datetime.date, str], int] = {}
    rows = qs.order_by().values_list("period", "outcome").annotate(total=Sum("n"))
    for period, outcome, total in rows:
        cell = (rollups.month_of(period), outcome)
        counts[cell] = counts.get(cell, 0) + total
    return counts
