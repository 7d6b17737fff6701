"""Income on advice cases, and the firm's rules for sharing it (SPEC L3)."""

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.cases.models import Case
from crm.core.models import FirmOwnedModel, scoped
from crm.firms.models import Introducer
from crm.income.choices import IncomeKind, IncomeStatus
from crm.protection.models import Policy

PERCENT = (MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100)))


def _money_text(value: Decimal) -> str:
    sign = "\u2212" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


class IncomeSettings(FirmOwnedModel):
    """The firm's split of income (L3): one row per firm, made on first save.

    The introducer of a case takes ``introducer_share_pct`` of each line (or
    its own share, an :class:`IntroducerShare`); the adviser takes
    ``adviser_share_pct`` of what is left; the firm keeps the rest.
    """

    adviser_share_pct = models.DecimalField(
        _("adviser's share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
    )
    introducer_share_pct = models.DecimalField(
        _("introducer's share, by default (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=PERCENT,
    )

    objects: ClassVar[models.Manager["IncomeSettings"]] = scoped(
        models.Manager["IncomeSettings"]
    )

    class Meta:
        verbose_name_plural = "income settings"
        constraints = [
            models.UniqueConstraint(fields=["firm"], name="income_settings_unique")
        ]

    def __str__(self) -> str:
        return "Income settings"


class IntroducerShare(FirmOwnedModel):
    """An introducer's own share of income, in place of the firm's default."""

    introducer = models.ForeignKey(
        Introducer, on_delete=models.CASCADE, related_name="income_shares"
    )
    share_pct = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )

    objects: ClassVar[models.Manager["IntroducerShare"]] = scoped(
        models.Manager["IntroducerShare"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "introducer"], name="introducer_share_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.introducer}: {self.share_pct}%"


class IncomeLine(FirmOwnedModel):
    """One fee or commission expected on an advice case, and its receipt (L3).

    The shares are copied from the firm's rules when the line is added, so a
    later change of rules does not rewrite what was agreed. A clawback line
    carries a negative amount and is applied (received) on the day the policy
    ended; it points at the commission it claws back.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=IncomeKind.choices)
    description = models.CharField(_("description"), max_length=160, blank=True)
    policy = models.ForeignKey(
        Policy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy"),
    )
    amount = models.DecimalField(_("amount (£)"), max_digits=12, decimal_places=2)
    expected_on = models.DateField(_("expected on"))
    received_amount = models.DecimalField(
        _("amount received (£)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    written_off_on = models.DateField(null=True, blank=True)
    indemnity_months = models.PositiveSmallIntegerField(
        _("indemnity period (months)"), null=True, blank=True
    )
    clawback_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="clawbacks",
    )
    adviser_share_pct = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0)
    )
    introducer_share_pct = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0)
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every edit (lost-update check)."
    )

    objects: ClassVar[models.Manager["IncomeLine"]] = scoped(
        models.Manager["IncomeLine"]
    )

    class Meta:
        ordering = ["expected_on", "id"]
        indexes = [
            models.Index(fields=["firm", "expected_on"], name="income_firm_expected"),
            models.Index(fields=["firm", "received_on"], name="income_firm_received"),
            models.Index(fields=["firm", "case"], name="income_firm_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_text}"

    def status_on(self, today: datetime.date) -> IncomeStatus:
        """Return where the line stands on ``today``."""
        if self.received_on is not None:
            return IncomeStatus.RECEIVED
        if self.written_off_on is not None:
            return IncomeStatus.WRITTEN_OFF
        if self.expected_on < today:
            return IncomeStatus.OVERDUE
        return IncomeStatus.EXPECTED

    def can_change(self) -> bool:
        """Return whether the line may be edited or removed: no money has moved."""
        return (
            self.kind != IncomeKind.CLAWBACK
            and self.received_on is None
            and self.written_off_on is None
        )

    @property
    def amount_text(self) -> str:
        """Return the amount as shown: "£1,200.00", or with a minus sign if negative."""
        return _money_text(self.amount)

    @property
    def received_text(self) -> str:
        """Return the amount received as shown (empty if none)."""
        if self.received_amount is None:
            return ""
        return _money_text(self.received_amount)

    @property
    def anchor(self) -> str:
        """Return the id of the line's row on the case page."""
        return f"income-{self.pk}"


from crm.income.tally.models import IncomeTally  # noqa: E402, F401  (the tally's table)
