"""Reading the score tally for the funder report (see ``crm.support.tally``).

``funder_sums`` answers the report's filters from summary rows: the date
range as month and day rows (``crm.core.rollups.range_q``; no range reads
the all-time rows), the scorer, scale and pathway as key columns. What it
reads depends on the range, the scales and the pathways, never on the
number of score sets.
"""

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from crm.core import rollups
from crm.support.models import Pathway
from crm.support.tally.models import ScoreTally

if TYPE_CHECKING:
    from crm.firms.models import Firm


def funder_sums(
    *,
    firm: "Firm",
    scorer: str,
    scale_id: int | None = None,
    pathway_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> "QuerySet[ScoreTally, dict[str, Any]]":
    """Return the latest sets per scale and pathway, in one query.

    Each row has the scale's ``scale_id``, ``scale__name``,
    ``scale__min_score`` and ``scale__max_score``, the ``pathway_name``
    (None for no pathway), the ``cases`` counted, their ``baseline`` and
    ``average`` sums in hundredths and how many ``improved``; ordered by
    scale name, scale and pathway name, as the database orders names.
    """
    qs = ScoreTally.objects.filter(
        rollups.range_q(date_from, date_to, all_time=True, scorer=scorer), firm=firm
    )
    if scale_id is not None:
        qs = qs.filter(scale_id=scale_id)
    if pathway_id is not None:
        # Key 0 is no pathway, which no pathway id names.
        qs = qs.filter(pathway_key=pathway_id) if pathway_id > 0 else qs.none()
    names = Pathway.objects.filter(firm=firm, pk=OuterRef("pathway_key")).order_by()
    rows = (
        qs.order_by()
        .values(
            "scale_id",
            "scale__name",
            "scale__min_score",
            "scale__max_score",
            "pathway_key",
        )
        .annotate(
            cases=Sum("n"),
            baseline=Sum("baseline_sum"),
            average=Sum("average_sum"),
            improved=Sum("improved"),
        )
        .filter(cases__gt=0)
        .annotate(pathway_name=Subquery(names.values("name")[:1]))
        .order_by("scale__name", "scale_id", "pathway_name")
    )
    return cast("QuerySet[ScoreTally, dict[str, Any]]", rows)
