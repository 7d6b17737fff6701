"""Reading the case tally for the reports (see ``crm.cases.tally``).

``tally_counts`` answers a report's filters from summary rows: the date
range as month and day rows (``crm.core.rollups.range_q``), the adviser and
the principal's visibility as an owner key, the introducer as an introducer
key, each in the grouping set made for that combination. What it reads
depends on the range and the filters, never on the number of cases.
"""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum

from crm.cases.policies import visible_owner
from crm.cases.tally.models import CaseTally
from crm.cases.tally.services import BY_BOTH, OPEN
from crm.core import rollups

if TYPE_CHECKING:
    from crm.core.principals import Principal
    from crm.firms.models import Firm

NAME_FIELDS = ("first_name", "last_name", "email")


def _grouping(fact: str, owner: int | None, introducer: int | None) -> str:
    if fact == OPEN:
        # Open cases are always split by owner; the introducer adds a key.
        return BY_BOTH if introducer is not None else rollups.BY_OWNER
    if owner is not None and introducer is not None:
        return BY_BOTH
    if owner is not None:
        return rollups.BY_OWNER
    if introducer is not None:
        return rollups.BY_INTRODUCER
    return rollups.EVERYONE


def tally_counts(
    *,
    firm: "Firm",
    principal: "Principal | None",
    facts: Sequence[str],
    kinds: Sequence[str],
    fields: Sequence[str],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    owner_id: int | None = None,
    introducer_id: int | None = None,
    owner_names: bool = False,
) -> "QuerySet[CaseTally, dict[str, Any]]":
    """Return ``fields`` with ``n``, the cases counted under them, in one query.

    Each fact is read from the grouping set that fits the filters; the
    owner key is 0 for cases without one. ``owner_names`` adds the owner's
    ``first_name``, ``last_name`` and ``email`` (empty for none).
    """
    visible, owner = visible_owner(principal, owner_id)
    qs = CaseTally.objects.filter(firm=firm, kind__in=list(kinds))
    if not visible or not facts:
        return cast("QuerySet[CaseTally, dict[str, Any]]", qs.none().values(*fields))
    wanted = Q(pk__in=[])
    for fact in facts:
        wanted |= rollups.range_q(
            date_from,
            date_to,
            all_time=fact == OPEN,
            fact=fact,
            by=_grouping(fact, owner, introducer_id),
        )
    chosen = qs.filter(wanted)
    if owner is not None:
        chosen = chosen.filter(owner_key=owner)
    if introducer_id is not None:
        chosen = chosen.filter(introducer_key=introducer_id)
    rows = chosen.order_by().values(*fields).annotate(total=Sum("n"))
    if owner_names:
        users = get_user_model().objects.filter(pk=OuterRef("owner_key"))
        rows = rows.annotate(
            **{
                f"owner_{name}": Subquery(users.values(name)[:1])
                for name in NAME_FIELDS
            }
        )
    return cast("QuerySet[CaseTally, dict[str, Any]]", rows)
