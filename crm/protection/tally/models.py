"""The policy tally's table (see ``crm.protection.tally``)."""

from typing import ClassVar

from django.db import models

from crm.core.models import FirmOwnedModel, scoped

KEY = (
    "firm",
    "grain",
    "by",
    "period",
    "owner_key",
    "introducer_key",
    "provider",
    "status",
)
MEASURES = ("n", "annual", "priced")


class PolicyTally(FirmOwnedModel):
    """Placed policies sharing one key, their annual premiums and how many
    have a premium; ``owner_key``/``introducer_key`` 0 is none."""

    grain = models.CharField(max_length=1)
    by = models.CharField(max_length=1)
    period = models.DateField()
    owner_key = models.IntegerField(default=0)
    introducer_key = models.IntegerField(default=0)
    provider = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=16)
    n = models.IntegerField(default=0)
    annual = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    priced = models.IntegerField(default=0)

    objects: ClassVar[models.Manager["PolicyTally"]] = scoped(
        models.Manager["PolicyTally"]
    )

    class Meta:
        constraints = [
            # Its index serves every read: firm, grain and grouping set
            # pinned, then a range of periods.
            models.UniqueConstraint(fields=list(KEY), name="policy_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.grain}/{self.by} {self.period} {self.provider}: {self.n}"
