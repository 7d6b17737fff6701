"""Reads of outcome scales and scores: settings, a case, the funder report (I10)."""

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from crm.cases.models import Case
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.firms.models import Firm
from crm.firms.selectors.lookups import DEFAULT_SORT, reference_rows
from crm.support.choices import Scorer
from crm.support.models import OutcomeArea, OutcomeScale, Score, ScoreLink, ScoreSet
from crm.support.tally import selectors as score_tally

NO_PATHWAY = "No pathway"


def _with_areas(qs: QuerySet[OutcomeScale], firm: Firm) -> QuerySet[OutcomeScale]:
    return qs.prefetch_related(
        Prefetch("areas", queryset=OutcomeArea.objects.filter(firm=firm))
    )


def scale_list(
    *, firm: Firm, q: str = "", status: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[OutcomeScale]:
    """Return the firm's outcome scales with their areas, active first, by name."""
    rows = reference_rows(
        OutcomeScale.objects.filter(firm=firm), q=q, status=status, sort=sort
    )
    return _with_areas(rows, firm)


def scale_get(*, firm: Firm, scale_id: int) -> OutcomeScale:
    """Return one of the firm's scales with its areas, or raise ``NotFound``."""
    try:
        return _with_areas(OutcomeScale.objects.filter(firm=firm), firm).get(
            pk=scale_id
        )
    except OutcomeScale.DoesNotExist as exc:
        raise NotFound from exc


def scale_options(*, firm: Firm) -> list[tuple[int, str]]:
    """Return (id, name) of every scale of the firm, archived too, by name."""
    return list(
        OutcomeScale.objects.filter(firm=firm)
        .order_by("name", "id")
        .values_list("pk", "name")
    )


def scale_choices(*, firm: Firm) -> list[OutcomeScale]:
    """Return the firm's active scales with their areas, by name."""
    return list(
        _with_areas(
            OutcomeScale.objects.filter(firm=firm, is_active=True), firm
        ).order_by("name", "id")
    )


def score_link_for_token(*, token_hash: str) -> ScoreLink | None:
    """Return the scoring link with this token hash, of any firm, or None.

    Called before any firm is known (the link says which), so it reads
    outside the scope; the caller then acts in the link's firm only.
    """
    with scopes_disabled():
        return (
            ScoreLink.objects.select_related("firm", "case", "scale")
            .filter(token_hash=token_hash)
            .first()
        )


def score_sets_of(*, firm: Firm, case: Case) -> list[ScoreSet]:
    """Return the case's sets of scores with their numbers, oldest first (I10)."""
    return list(
        ScoreSet.objects.filter(firm=firm, case=case)
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.filter(firm=firm).order_by("id"))
        )
        .order_by("recorded_on", "id")
    )


@dataclass
class ScaleOutcome:
    """One scale's scores on a case: columns of sets, rows of areas, the chart."""

    scale: OutcomeScale
    sets: list[ScoreSet]
    rows: list[dict[str, Any]] = field(default_factory=list)


def _case_sets(*, firm_id: int, case_id: int) -> QuerySet[ScoreSet]:
    scores = Score.objects.filter(firm_id=firm_id).select_related("area")
    areas = OutcomeArea.objects.filter(firm_id=firm_id)
    return (
        ScoreSet.objects.filter(firm_id=firm_id, case_id=case_id)
        .select_related("scale", "recorded_by")
        .prefetch_related(
            Prefetch("scores", queryset=scores),
            Prefetch("scale__areas", queryset=areas),
        )
        .order_by("scale__name", "scale_id", "recorded_on", "id")
    )


# Compiled once a process (``crm.core.prepared``); the scores and areas by the ORM.
_CASE_SETS = Prepared(ScoreSet, _case_sets)


def case_outcomes(*, firm: Firm, case: Case) -> list[ScaleOutcome]:
    """Return every scale the case was scored on, its sets oldest first.

    Each row is an area (or the scale itself) with its score in each set,
    case manager's and beneficiary's side by side in date order, and the
    average of each set last.
    """
    sets = _CASE_SETS(firm_id=firm.pk, case_id=case.pk)
    found: dict[int, ScaleOutcome] = {}
    for score_set in sets:
        found.setdefault(
            score_set.scale_id, ScaleOutcome(score_set.scale, [])
        ).sets.append(score_set)
    for outcome in found.values():
        areas = list(outcome.scale.areas.all())
        lines: list[tuple[str, int | None]] = [(a.name, a.pk) for a in areas]
        if not lines:
            lines = [(outcome.scale.name, None)]
        for name, area_id in lines:
            values = []
            for score_set in outcome.sets:
                by_area = {s.area_id: s.value for s in score_set.scores.all()}
                values.append(by_area.get(area_id))
            outcome.rows.append({"name": name, "values": values})
    return list(found.values())


@dataclass(frozen=True)
class FunderQuery:
    """The funder report's filters (built by ``FunderFilterSet``)."""

    scale_id: int | None = None
    pathway_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    scorer: str = Scorer.CASE_MANAGER

    def as_kwargs(self) -> dict[str, Any]:
        """Return the query as ``funder_report``'s keyword arguments."""
        return asdict(self)


@dataclass(frozen=True)
class FunderRow:
    """Distance travelled on one scale, by one pathway (or all of them)."""

    scale_id: int
    scale: str
    min_score: int
    max_score: int
    pathway: str
    cases: int
    start: float
    latest: float
    improved: int
    is_total: bool = False

    @property
    def distance(self) -> float:
        """Return the average change from first to latest score."""
        return round(self.latest - self.start, 2)

    @property
    def improved_share(self) -> int:
        """Return the percentage of cases whose latest score is above their first."""
        return round(100 * self.improved / self.cases) if self.cases else 0


def _total(rows: list[FunderRow]) -> FunderRow:
    cases = sum(r.cases for r in rows)
    first = rows[0]
    return FunderRow(
        scale_id=first.scale_id,
        scale=first.scale,
        min_score=first.min_score,
        max_score=first.max_score,
        pathway="All pathways",
        cases=cases,
        start=round(sum(r.start * r.cases for r in rows) / cases, 2),
        latest=round(sum(r.latest * r.cases for r in rows) / cases, 2),
        improved=sum(r.improved for r in rows),
        is_total=True,
    )


def _mean(hundredths: Any, cases: int) -> float:
    """Return the mean of scores summed in hundredths, to two places.

    Exact Decimal division, then float and ``round``: the figures the
    database's ``AVG`` of the scores gave (SQLite and PostgreSQL).
    """
    return round(float(Decimal(hundredths) / (100 * cases)), 2)


def funder_report(
    *,
    firm: Firm,
    scale_id: int | None = None,
    pathway_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    scorer: str = Scorer.CASE_MANAGER,
) -> list[FunderRow]:
    """Return distance travelled per scale and pathway, from the score tally.

    A case counts once per scale: its latest set of scores by ``scorer``
    recorded in the period, measured from its first set (the baseline),
    whenever that was. Each scale with more than one pathway gets a total.
    """
    grouped = score_tally.funder_sums(
        firm=firm,
        scorer=scorer if scorer in Scorer.values else "",
        scale_id=scale_id,
        pathway_id=pathway_id,
        date_from=date_from,
        date_to=date_to,
    )
    by_scale: dict[int, list[FunderRow]] = {}
    for g in grouped:
        cases = int(g["cases"])
        by_scale.setdefault(g["scale_id"], []).append(
            FunderRow(
                scale_id=g["scale_id"],
                scale=g["scale__name"],
                min_score=g["scale__min_score"],
                max_score=g["scale__max_score"],
                pathway=g["pathway_name"] or NO_PATHWAY,
                cases=cases,
                start=_mean(g["baseline"], cases),
                latest=_mean(g["average"], cases),
                improved=int(g["improved"]),
            )
        )
    result: list[FunderRow] = []
    for rows in by_scale.values():
        if len(rows) > 1:
            result.append(_total(rows))
        result.extend(rows)
    return result
