"""Outcome scales and the scores a support case records on them (SPEC I10).

A scale is scored on a range (1-10 by default), as one number or as several
areas scored together. Each time scores are recorded they form a
``ScoreSet``: when (start, review, close), whose view (the case manager's or
the beneficiary's), and the scores, one per area. The service that writes a
set also stores its average, the average of the first set of the same case,
scale and scorer (``baseline``), and which set is the latest, so distance
travelled is a plain aggregate the database answers from one index.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from crm.core.models import FirmOwnedModel, scoped
from crm.firms.models import ReferenceModel
from crm.support.choices import ScorePoint, Scorer, ScoreVia

USER = settings.AUTH_USER_MODEL


class OutcomeScale(ReferenceModel):
    """A measure a charity scores its cases on, e.g. Housing stability 1-10."""

    name = models.CharField(max_length=80)
    min_score = models.PositiveSmallIntegerField(default=1)
    max_score = models.PositiveSmallIntegerField(default=10)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["OutcomeScale"]] = scoped(
        models.Manager["OutcomeScale"]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "firm", Lower("name"), name="outcome_scale_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(min_score__lt=models.F("max_score")),
                name="outcome_scale_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def range_label(self) -> str:
        """Return the range in words, e.g. "1 to 10"."""
        return f"{self.min_score} to {self.max_score}"


class OutcomeArea(FirmOwnedModel):
    """One of the areas of a scale scored together (e.g. Money, Health)."""

    scale = models.ForeignKey(
        OutcomeScale, on_delete=models.CASCADE, related_name="areas"
    )
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    objects: ClassVar[models.Manager["OutcomeArea"]] = scoped(
        models.Manager["OutcomeArea"]
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["firm", "scale"], name="outcome_area_scale")]

    def __str__(self) -> str:
        return self.name


class ScoreLink(FirmOwnedModel):
    """A single-use, expiring link a beneficiary scores themselves through.

    Only the SHA-256 of the token is kept; the token is in the e-mail.
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="score_links"
    )
    scale = models.ForeignKey(OutcomeScale, on_delete=models.PROTECT, related_name="+")
    point = models.CharField(max_length=8, choices=ScorePoint.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["ScoreLink"]] = scoped(models.Manager["ScoreLink"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["firm", "case"], name="score_link_case")]

    def __str__(self) -> str:
        return f"Scoring link for case {self.case_id}"


class ScoreSet(FirmOwnedModel):
    """Scores on one scale recorded at one point of a case, by one scorer."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="score_sets"
    )
    scale = models.ForeignKey(
        OutcomeScale, on_delete=models.PROTECT, related_name="score_sets"
    )
    point = models.CharField(max_length=8, choices=ScorePoint.choices)
    scorer = models.CharField(max_length=12, choices=Scorer.choices)
    via = models.CharField(max_length=8, choices=ScoreVia.choices)
    link = models.OneToOneField(
        ScoreLink,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="score_set",
    )
    recorded_on = models.DateField()
    average = models.DecimalField(max_digits=6, decimal_places=2)
    baseline = models.DecimalField(max_digits=6, decimal_places=2)
    is_latest = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The case's support details, joined on the case id both rows carry
    # (no column): the funder report groups by pathway without joining the
    # firm's whole cases table in between (SPEC I10).
    support = models.ForeignObject(
        "support.SupportDetails",
        on_delete=models.DO_NOTHING,
        from_fields=["case"],
        to_fields=["case"],
        related_name="+",
        null=True,
    )

    objects: ClassVar[models.Manager["ScoreSet"]] = scoped(models.Manager["ScoreSet"])

    class Meta:
        ordering = ["recorded_on", "id"]
        indexes = [
            models.Index(fields=["firm", "case", "scale"], name="score_set_case"),
            # The funder report reads the latest sets of a period from here.
            models.Index(
                fields=["firm", "is_latest", "scorer", "recorded_on"],
                name="score_set_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scale} at {self.get_point_display()} ({self.recorded_on})"

    @property
    def distance(self) -> float:
        """Return how far this set's average moved from the first set's."""
        return float(self.average - self.baseline)


class Score(FirmOwnedModel):
    """One number of a score set: the scale's score, or one area's."""

    score_set = models.ForeignKey(
        ScoreSet, on_delete=models.CASCADE, related_name="scores"
    )
    area = models.ForeignKey(
        OutcomeArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField()

    objects: ClassVar[models.Manager["Score"]] = scoped(models.Manager["Score"])

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["firm", "score_set"], name="score_set_idx")]

    def __str__(self) -> str:
        return str(self.value)
