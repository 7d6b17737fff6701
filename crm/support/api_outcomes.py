"""A support case's concern level and outcome scores (K1, I9, I10).

Changed and recorded through the same services as the case page, so its
rules hold: a concern level changes with a reason and never to itself (409
``unchanged``); scores are on an active scale of the firm, one number per
area within the scale's range, not dated in the future, and start scores
once per scale and scorer (409 ``duplicate``). A closed case is read-only
(409 ``case_closed``).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from crm.core.api import (
    MAX_ID,
    Text300,
    principal_of,
    require_module,
    responses,
)
from crm.core.exceptions import ApplicationError, NotFound
from crm.firms.models import Firm
from crm.support import selectors, services
from crm.support.api_sections import case_of, writer
from crm.support.choices import ConcernLevel, ScorePoint, Scorer
from crm.support.models import OutcomeScale, ScoreSet
from crm.support.services.outcomes import AREAS_MAX, SCORE_LIMIT

router = Router(tags=["Support cases"])


class ConcernIn(Schema):
    """The new concern level and why it is changing (I9)."""

    level: ConcernLevel
    reason: Text300 = Field(..., description="Kept in the case's history.")


class ConcernOut(Schema):
    """A support case's concern level."""

    case_id: int
    concern_level: str


class AreaOut(Schema):
    """One of the areas of a scale scored together."""

    id: int
    name: str


class ScaleOut(Schema):
    """An outcome scale: its range and the areas scored together, if any."""

    id: int
    name: str
    min_score: int
    max_score: int
    is_active: bool
    areas: list[AreaOut]

    @staticmethod
    def resolve_areas(scale: OutcomeScale) -> list[Any]:
        return list(scale.areas.all())


class ScoreOut(Schema):
    """One number of a set: an area's score, or the scale's (``area_id`` null)."""

    area_id: int | None
    value: int


class ScoreSetOut(Schema):
    """A set of scores on one scale, at one point of the case, by one scorer."""

    id: int
    case_id: int
    scale_id: int
    point: str
    scorer: str
    via: str
    recorded_on: date
    average: Decimal
    baseline: Decimal = Field(
        ..., description="The average of the first set of this scale and scorer."
    )
    is_latest: bool
    recorded_by_id: int | None
    created_at: datetime
    scores: list[ScoreOut]

    @staticmethod
    def resolve_scores(score_set: ScoreSet) -> list[Any]:
        return list(score_set.scores.all())


class ScoreIn(Schema):
    """The score of one area; ``area_id`` null for a scale without areas."""

    area_id: int | None = Field(None, ge=1, le=MAX_ID)
    value: int = Field(..., ge=0, le=SCORE_LIMIT)


class ScoreSetIn(Schema):
    """A set of scores: one per area of the scale (one for a scale without areas)."""

    scale_id: int = Field(..., ge=1, le=MAX_ID, description="An active scale.")
    point: ScorePoint
    scorer: Scorer = Scorer.CASE_MANAGER
    recorded_on: date | None = Field(None, description="Today if left out.")
    scores: Annotated[list[ScoreIn], Field(min_length=1, max_length=AREAS_MAX)]


def _scale(firm: Firm, scale_id: int) -> OutcomeScale:
    try:
        return selectors.scale_get(firm=firm, scale_id=scale_id)
    except NotFound as exc:
        raise ApplicationError(
            "Choose an outcome scale of this firm.", "invalid", {"field": "scale_id"}
        ) from exc


def _renamed(exc: ApplicationError) -> ApplicationError:
    """Name the API's field in a service's error (``scale_id``, ``scores``)."""
    field = exc.field
    if field == "scale":
        exc.extra["field"] = "scale_id"
    elif field == "score" or (field or "").startswith("area_"):
        exc.extra["field"] = "scores"
    return exc


@router.post(
    "/cases/{int:support_case_id}/concern",
    operation_id="support_concern_change",
    summary="Change a support case's concern level",
    response=responses(200, ConcernOut, write=True),
)
def support_concern_change(
    request: HttpRequest, support_case_id: int, data: ConcernIn
) -> dict[str, Any]:
    """Change the concern level with a reason, as the case page does (I9)."""
    firm, actor = writer(request)
    case = case_of(request, support_case_id)
    details = services.concern_change(
        firm=firm, actor=actor, case=case, level=data.level, reason=data.reason
    )
    return {"case_id": case.pk, "concern_level": details.concern_level}


@router.get(
    "/outcome-scales",
    operation_id="outcome_scale_list",
    summary="List the firm's outcome scales",
    response=responses(200, list[ScaleOut]),
)
def outcome_scale_list(request: HttpRequest) -> list[OutcomeScale]:
    """List the outcome scales with their areas, active ones first (I10)."""
    principal = require_module(request, "support")
    return list(selectors.scale_list(firm=principal.firm))


@router.get(
    "/cases/{int:support_case_id}/scores",
    operation_id="score_set_list",
    summary="List a support case's outcome scores",
    response=responses(200, list[ScoreSetOut]),
)
def score_set_list(request: HttpRequest, support_case_id: int) -> list[ScoreSet]:
    """List the sets of scores recorded on the case, oldest first (I10)."""
    case = case_of(request, support_case_id)
    return selectors.score_sets_of(firm=principal_of(request).firm, case=case)


@router.post(
    "/cases/{int:support_case_id}/scores",
    operation_id="score_set_create",
    summary="Record a set of outcome scores",
    response=responses(201, ScoreSetOut, write=True),
)
def score_set_create(
    request: HttpRequest, support_case_id: int, data: ScoreSetIn
) -> Status[ScoreSet]:
    """Record scores on one scale, as Record scores does (I10)."""
    firm, actor = writer(request)
    case = case_of(request, support_case_id)
    values = {score.area_id: score.value for score in data.scores}
    try:
        score_set = services.scores_record(
            firm=firm,
            actor=actor,
            case=case,
            scale=_scale(firm, data.scale_id),
            point=data.point,
            scorer=data.scorer,
            recorded_on=data.recorded_on or timezone.localdate(),
            values=values,
        )
    except ApplicationError as exc:
        raise _renamed(exc) from exc
    return Status(201, score_set)
