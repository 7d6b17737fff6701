"""Outcome scales and the scores recorded on them (SPEC I10).

Scores come in sets: one scale, one point of the case (start, review,
close), one scorer (the case manager or the beneficiary), one number per
area. Every set stores its average, the average of the first set of the same
case, scale and scorer (its ``baseline``) and whether it is the latest, so
that distance travelled is one aggregate in the funder report.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone

from crm.cases.models import Case
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.firms.services.lookups import save_active
from crm.support.choices import OutcomeEventType, ScorePoint, Scorer, ScoreVia
from crm.support.models import OutcomeArea, OutcomeScale, Score, ScoreLink, ScoreSet
from crm.support.services.cases import check_support_case
from crm.support.tally import services as score_tally

NAME_MAX = 80
AREAS_MAX = 12
SCORE_LIMIT = 100
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ScaleData:
    """What the Outcome scales form sets: name, range and areas (in order)."""

    name: str
    min_score: int = 1
    max_score: int = 10
    areas: tuple[str, ...] = ()


def _field_error(message: str, field: str, code: str = "invalid") -> ApplicationError:
    return ApplicationError(message, code, {"field": field})


def _clean_scale(
    firm: Firm, data: ScaleData, current: OutcomeScale | None
) -> ScaleData:
    name = " ".join(data.name.split())
    if not name:
        raise _field_error("Enter a name.", "name", "required")
    if len(name) > NAME_MAX:
        raise _field_error(f"Keep the name under {NAME_MAX} characters.", "name")
    clashes = (
        OutcomeScale.objects.filter(firm=firm)
        .alias(lower=Lower("name"))
        .filter(lower=Lower(Value(name)))
    )
    if current is not None:
        clashes = clashes.exclude(pk=current.pk)
    if clashes.exists():
        raise _field_error(
            f"The outcome scale “{name}” already exists.", "name", "duplicate"
        )
    if not 0 <= data.min_score < data.max_score <= SCORE_LIMIT:
        raise _field_error(
            f"The lowest score must be below the highest, from 0 to {SCORE_LIMIT}.",
            "max_score",
        )
    areas = tuple(" ".join(a.split()) for a in data.areas if a.strip())
    if len(areas) > AREAS_MAX:
        raise _field_error(f"Score at most {AREAS_MAX} areas together.", "areas")
    if any(len(a) > NAME_MAX for a in areas):
        raise _field_error(f"Keep each area under {NAME_MAX} characters.", "areas")
    if len({a.lower() for a in areas}) != len(areas):
        raise _field_error("Name each area once.", "areas")
    if len(areas) == 1:
        raise _field_error(
            "Add at least two areas, or none to score the scale as one number.",
            "areas",
        )
    return ScaleData(name, data.min_score, data.max_score, areas)


def _area_names(scale: OutcomeScale) -> tuple[str, ...]:
    return tuple(scale.areas.order_by("position", "id").values_list("name", flat=True))


def _save_areas(firm: Firm, scale: OutcomeScale, names: tuple[str, ...]) -> None:
    OutcomeArea.objects.filter(firm=firm, scale=scale).delete()
    OutcomeArea.objects.bulk_create(
        OutcomeArea(firm=firm, scale=scale, name=name, position=i)
        for i, name in enumerate(names)
    )


@transaction.atomic
def scale_create(*, firm: Firm, actor: User, data: ScaleData) -> OutcomeScale:
    """Add an outcome scale, scored as one number or as areas together (I10)."""
    data = _clean_scale(firm, data, None)
    scale = OutcomeScale(
        firm=firm, name=data.name, min_score=data.min_score, max_score=data.max_score
    )
    scale.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            scale.save()
    except IntegrityError as exc:  # a second tab added the same name
        raise _field_error(
            f"The outcome scale “{data.name}” already exists.", "name", "duplicate"
        ) from exc
    _save_areas(firm, scale, data.areas)
    events.record(
        firm=firm,
        actor=actor,
        subject=scale,
        verb=AuditVerb.CREATE,
        changes={
            "name": [None, data.name],
            "range": [None, scale.range_label],
            "areas": [None, ", ".join(data.areas)],
        },
    )
    return scale


@transaction.atomic
def scale_update(
    *, firm: Firm, actor: User, scale: OutcomeScale, data: ScaleData
) -> OutcomeScale:
    """Rename a scale; its range and areas change only while nothing is scored."""
    ensure_same_firm(firm, scale)
    data = _clean_scale(firm, data, scale)
    old_areas = _area_names(scale)
    before = {
        "name": scale.name,
        "range": scale.range_label,
        "areas": ", ".join(old_areas),
    }
    reshaped = (data.min_score, data.max_score, data.areas) != (
        scale.min_score,
        scale.max_score,
        old_areas,
    )
    if reshaped and ScoreSet.objects.filter(firm=firm, scale=scale).exists():
        raise _field_error(
            "Cases have been scored on this scale, so its range and areas are "
            "fixed; only its name can change. Archive it and add a new scale "
            "to measure differently.",
            "areas",
            "scored",
        )
    scale.name, scale.min_score, scale.max_score = (
        data.name,
        data.min_score,
        data.max_score,
    )
    scale.full_clean(validate_constraints=False)
    scale.save(update_fields=["name", "min_score", "max_score"])
    if data.areas != old_areas:
        _save_areas(firm, scale, data.areas)
    after = {
        "name": data.name,
        "range": scale.range_label,
        "areas": ", ".join(data.areas),
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        events.record(
            firm=firm,
            actor=actor,
            subject=scale,
            verb=AuditVerb.UPDATE,
            changes=changes,
        )
    return scale


@transaction.atomic
def scale_set_active(
    *, firm: Firm, actor: User, scale: OutcomeScale, active: bool
) -> OutcomeScale:
    """Archive a scale (no longer offered; its scores stay) or restore it."""
    return save_active(scale, firm=firm, actor=actor, active=active)


# Recording scores


def _average(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(TWO_PLACES, ROUND_HALF_UP)


def _check_values(
    scale: OutcomeScale, areas: list[OutcomeArea], values: dict[int | None, int]
) -> list[tuple[OutcomeArea | None, int]]:
    """Return (area, value) pairs in the scale's order, or refuse a gap or range."""
    wanted: list[OutcomeArea | None] = list(areas) or [None]
    pairs = []
    for area in wanted:
        key = area.pk if area is not None else None
        value = values.get(key)
        field = f"area_{key}" if key is not None else "score"
        if value is None:
            what = f"“{area.name}”" if area is not None else "the scale"
            raise _field_error(f"Choose a score for {what}.", field, "required")
        if not scale.min_score <= value <= scale.max_score:
            raise _field_error(
                f"Choose a score from {scale.min_score} to {scale.max_score}.", field
            )
        pairs.append((area, value))
    return pairs


def _check_point(
    firm: Firm, case: Case, scale: OutcomeScale, point: str, scorer: str
) -> None:
    if point not in ScorePoint.values:
        raise _field_error("Choose start, review or close.", "point")
    if scorer not in Scorer.values:
        raise _field_error("Choose whose scores these are.", "scorer")
    earlier = ScoreSet.objects.filter(firm=firm, case=case, scale=scale, scorer=scorer)
    if point == ScorePoint.START and earlier.filter(point=ScorePoint.START).exists():
        raise _field_error(
            "Start scores on this scale are already recorded for this scorer; "
            "record a review instead.",
            "point",
            "duplicate",
        )


@transaction.atomic
def scores_record(
    *,
    firm: Firm,
    actor: User | None,
    case: Case,
    scale: OutcomeScale,
    point: str,
    scorer: str,
    recorded_on: date,
    values: dict[int | None, int],
    link: ScoreLink | None = None,
) -> ScoreSet:
    """Record one set of scores on ``scale`` for ``case`` (I10).

    ``values`` maps each area's id (None for a scale without areas) to its
    score. The first set of a case, scale and scorer is the baseline that
    later sets' distance travelled is measured from.
    """
    check_support_case(firm, case)
    ensure_same_firm(firm, scale, link)
    if not scale.is_active:
        raise _field_error(
            f"The scale “{scale.name}” is archived; choose another.", "scale"
        )
    _check_point(firm, case, scale, point, scorer)
    if recorded_on > timezone.localdate():
        raise _field_error("The date can't be in the future.", "recorded_on")
    areas = list(OutcomeArea.objects.filter(firm=firm, scale=scale))
    pairs = _check_values(scale, areas, values)
    average = _average([v for _, v in pairs])
    series = ScoreSet.objects.select_for_update().filter(
        firm=firm, case=case, scale=scale, scorer=scorer
    )
    first = series.order_by("recorded_on", "id").first()
    latest = series.filter(is_latest=True).first()
    pathway = score_tally.pathway_of(firm_id=firm.pk, case_id=case.pk)
    counted = (
        score_tally.state_of(latest, pathway=pathway) if latest is not None else None
    )
    is_latest = latest is None or recorded_on >= latest.recorded_on
    if is_latest and latest is not None:
        latest.is_latest = False
        latest.save(update_fields=["is_latest"])
    score_set = ScoreSet(
        firm=firm,
        case=case,
        scale=scale,
        point=point,
        scorer=scorer,
        via=ScoreVia.LINK if link is not None else ScoreVia.STAFF,
        link=link,
        recorded_on=recorded_on,
        average=average,
        baseline=first.baseline if first is not None else average,
        is_latest=is_latest,
        recorded_by=actor,
    )
    score_set.full_clean()
    score_set.save()
    if first is not None and recorded_on < first.recorded_on:
        # An earlier set entered late becomes the baseline of the whole series.
        series.update(baseline=average)
        score_set.baseline = average
        if latest is not None:
            latest.baseline = average
    now_latest = latest if latest is not None and not is_latest else score_set
    score_tally.sets_moved(
        firm_id=firm.pk,
        changes=[(counted, score_tally.state_of(now_latest, pathway=pathway))],
    )
    Score.objects.bulk_create(
        Score(firm=firm, score_set=score_set, area=area, value=value)
        for area, value in pairs
    )
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=OutcomeEventType.SCORES_RECORDED,
        params={
            "scale": scale.name,
            "point": point,
            "scorer": scorer,
            "via": score_set.via,
            "average": str(average),
            "on": recorded_on.isoformat(),
        },
        verb=AuditVerb.CREATE,
        audit_obj=score_set,
        changes={
            "scale": [None, scale.name],
            "point": [None, point],
            "scorer": [None, scorer],
            "scores": [None, ", ".join(str(v) for _, v in pairs)],
        },
    )
    return score_set
