"""The score tally's table (see ``crm.support.tally``)."""

from typing import ClassVar

from django.db import models

from crm.core.models import FirmOwnedModel, scoped

KEY = ("firm", "scorer", "grain", "period", "scale_id", "pathway_key")
MEASURES = ("n", "baseline_sum", "average_sum", "improved")


class ScoreTally(FirmOwnedModel):
    """The latest score sets sharing one key, with their scores summed.

    ``baseline_sum`` and ``average_sum`` are in hundredths of a point (the
    scores have two places), so the sums stay exact on SQLite too, whose
    decimal columns add as floats. ``pathway_key`` 0 is no pathway.
    """

    scorer = models.CharField(max_length=12)
    grain = models.CharField(max_length=1)
    period = models.DateField()
    # Joined by the report for the scale's name and range (no index of its
    # own: a scale with scores is never deleted).
    scale = models.ForeignKey(
        "support.OutcomeScale",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    pathway_key = models.IntegerField(default=0)
    n = models.IntegerField(default=0)
    baseline_sum = models.BigIntegerField(default=0)
    average_sum = models.BigIntegerField(default=0)
    # How many of the sets scored above their baseline.
    improved = models.IntegerField(default=0)

    objects: ClassVar[models.Manager["ScoreTally"]] = scoped(
        models.Manager["ScoreTally"]
    )

    class Meta:
        constraints = [
            # Its index serves the report: firm, scorer and grain pinned,
            # then a range of periods.
            models.UniqueConstraint(fields=list(KEY), name="score_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.scorer}/{self.grain} {self.period} {self.scale_id}: {self.n}"
