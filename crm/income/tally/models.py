"""The income tally's table (see ``crm.income.tally``)."""

from decimal import Decimal
from typing import ClassVar

from django.db import models

from crm.core.models import FirmOwnedModel, scoped

KEY = (
    "firm",
    "end",
    "grain",
    "by",
    "period",
    "owner_key",
    "introducer_key",
    "flags",
)
MEASURES = ("n", "amount", "received_amount", "adviser_share", "introducer_share")


def _money() -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))


def _share() -> "models.DecimalField[Decimal, Decimal]":
    # A line's adviser share has up to 10 decimal places (pence times two
    # percentages times 1/10,000): kept whole, the sums are the live query's.
    return models.DecimalField(max_digits=26, decimal_places=10, default=Decimal(0))


class IncomeTally(FirmOwnedModel):
    """The income lines sharing one key and their sums; a key of 0 is none."""

    end = models.CharField(max_length=1)
    grain = models.CharField(max_length=1)
    by = models.CharField(max_length=1)
    period = models.DateField()
    owner_key = models.IntegerField(default=0)
    introducer_key = models.IntegerField(default=0)
    flags = models.PositiveSmallIntegerField(default=0)
    n = models.IntegerField(default=0)
    amount = _money()
    received_amount = _money()
    adviser_share = _share()
    introducer_share = _share()

    objects: ClassVar[models.Manager["IncomeTally"]] = scoped(
        models.Manager["IncomeTally"]
    )

    class Meta:
        constraints = [
            # Its index serves every read: firm, end, grain and grouping set
            # pinned, then the periods from a date onward.
            models.UniqueConstraint(fields=list(KEY), name="income_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.end}/{self.grain}/{self.by} {self.period} {self.flags}: {self.n}"
