"""The lead tally's table (see ``crm.leads.tally``)."""

from typing import ClassVar

from django.db import models

from crm.core.models import FirmOwnedModel, scoped

KEY = ("firm", "grain", "by", "period", "owner_key", "introducer_key", "outcome")


class LeadTally(FirmOwnedModel):
    """How many leads share one key; ``owner_key``/``introducer_key`` 0 is none."""

    grain = models.CharField(max_length=1)
    by = models.CharField(max_length=1)
    period = models.DateField()
    owner_key = models.IntegerField(default=0)
    introducer_key = models.IntegerField(default=0)
    outcome = models.CharField(max_length=16, blank=True)
    n = models.IntegerField(default=0)

    objects: ClassVar[models.Manager["LeadTally"]] = scoped(models.Manager["LeadTally"])

    class Meta:
        constraints = [
            # Its index serves every read: firm, grain and grouping set
            # pinned, then a range of periods.
            models.UniqueConstraint(fields=list(KEY), name="lead_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.grain}/{self.by} {self.period} {self.outcome}: {self.n}"
