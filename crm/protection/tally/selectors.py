"""Reading the policy tally for the premiums report (see ``crm.protection.tally``).

``premium_totals`` answers the report's filters from summary rows: the date
range as month and day rows (``crm.core.rollups.range_q``), the adviser and
the principal's visibility as an owner key, the introducer as an introducer
key, each in the grouping set made for that combination. What it reads
depends on the range, the providers and the filters, never on the number of
policies.
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Case as Conditional
from django.db.models import DecimalField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from crm.cases.policies import visible_owner
from crm.core import rollups
from crm.protection.choices import PolicyStatus
from crm.protection.tally.models import PolicyTally
from crm.protection.tally.services import BY_BOTH

if TYPE_CHECKING:
    from crm.core.principals import Principal
    from crm.firms.models import Firm


def _grouping(owner: int | None, introducer: int | None) -> str:
    if owner is not None and introducer is not None:
        return BY_BOTH
    if owner is not None:
        return rollups.BY_OWNER
    if introducer is not None:
        return rollups.BY_INTRODUCER
    return rollups.EVERYONE


def premium_totals(
    *,
    firm: "Firm",
    principal: "Principal | None",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    owner_id: int | None = None,
    introducer_id: int | None = None,
) -> "QuerySet[PolicyTally, dict[str, Any]]":
    """Return each provider's placed policies added in the range, in one query.

    Rows hold ``provider``, ``placed``, ``submitted`` and ``on_risk`` (counts) and
    ``annual`` (the annual premiums, None where no policy has a premium, as
    a SQL sum of nothing is), ordered by ``annual`` descending then provider
    in the database's own order, as a query over the policies would be.
    """
    visible, owner = visible_owner(principal, owner_id)
    qs = PolicyTally.objects.filter(firm=firm)
    if not visible:
        return cast("QuerySet[PolicyTally, dict[str, Any]]", qs.none().values())
    qs = qs.filter(
        rollups.range_q(
            date_from, date_to, all_time=True, by=_grouping(owner, introducer_id)
        )
    )
    if owner is not None:
        qs = qs.filter(owner_key=owner)
    if introducer_id is not None:
        qs = qs.filter(introducer_key=introducer_id)
    money: DecimalField[Decimal, Decimal] = DecimalField(
        max_digits=18, decimal_places=2
    )
    rows = (
        qs.order_by()
        .values("provider")
        .annotate(
            placed=Sum("n"),
            submitted=Coalesce(Sum("n", filter=Q(status=PolicyStatus.SUBMITTED)), 0),
            on_risk=Coalesce(Sum("n", filter=Q(status=PolicyStatus.ON_RISK)), 0),
            annual=Conditional(
                When(GreaterThan(Sum("priced"), 0), then=Sum("annual")),
                default=Value(None, output_field=money),
                output_field=money,
            ),
        )
        .filter(placed__gt=0)
        .order_by("-annual", "provider")
    )
    return cast("QuerySet[PolicyTally, dict[str, Any]]", rows)
