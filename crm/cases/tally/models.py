"""The case tally's table (see ``crm.cases.tally``)."""

from typing import ClassVar

from django.db import models

from crm.core.models import FirmOwnedModel, scoped

KEY = (
    "firm",
    "fact",
    "grain",
    "by",
    "period",
    "owner_key",
    "introducer_key",
    "kind",
    "status",
    "detail",
)


class CaseTally(FirmOwnedModel):
    """How many cases share one key; ``owner_key``/``introducer_key`` 0 is none."""

    fact = models.CharField(max_length=1)
    grain = models.CharField(max_length=1)
    by = models.CharField(max_length=1)
    period = models.DateField()
    owner_key = models.IntegerField(default=0)
    introducer_key = models.IntegerField(default=0)
    kind = models.CharField(max_length=12)
    status = models.CharField(max_length=32, blank=True)
    detail = models.CharField(max_length=32, blank=True)
    n = models.IntegerField(default=0)

    objects: ClassVar[models.Manager["CaseTally"]] = scoped(models.Manager["CaseTally"])

    class Meta:
        constraints = [
            # Its index serves every read: firm, fact, grain and grouping set
            # pinned, then a range of periods.
            models.UniqueConstraint(fields=list(KEY), name="case_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.fact}/{self.grain}/{self.by} {self.period} {self.kind}: {self.n}"
