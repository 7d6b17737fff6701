"""Fact Find per client, its child rows, and Demands & Needs per case (F1, F2)."""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.advice.factfind.choices import (
    CommitmentKind,
    EmploymentStatus,
    FeePreference,
    MaritalStatus,
    PolicyKind,
    RatePreference,
    SmokerStatus,
    YesNo,
)
from crm.cases.models import Case
from crm.core.models import FirmOwnedModel, scoped


def _money(label: Any) -> "models.DecimalField[Any, Any]":
    """Return an optional amount of money in pounds and pence."""
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, null=True, blank=True
    )


class FactFind(FirmOwnedModel):
    """One client's Fact Find, shared by every advice case they are on (F1).

    Title and names come from the contact; the rest is here, and the child
    rows hold addresses, commitments and existing policies.
    """

    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="fact_find"
    )
    # Personal
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    dependants = models.PositiveSmallIntegerField(
        _("number of dependants"), null=True, blank=True
    )
    dependants_ages = models.CharField(
        _("ages of dependants"), max_length=60, blank=True
    )
    # Employment
    employment_status = models.CharField(
        _("employment status"),
        max_length=16,
        choices=EmploymentStatus.choices,
        blank=True,
    )
    occupation = models.CharField(_("occupation"), max_length=80, blank=True)
    employer = models.CharField(
        _("employer or business name"), max_length=120, blank=True
    )
    employment_start = models.DateField(_("start date"), null=True, blank=True)
    net_profit_latest = _money(_("net profit, latest year (£)"))
    net_profit_previous = _money(_("net profit, previous year (£)"))
    # Income
    basic_income = _money(_("basic annual income (£)"))
    bonus_income = _money(_("annual bonus (£)"))
    overtime_income = _money(_("annual overtime (£)"))
    other_income = _money(_("other annual income (£)"))
    net_monthly_income = _money(_("net monthly income (£)"))
    # Health (protection)
    smoker_status = models.CharField(
        _("smoker status"), max_length=8, choices=SmokerStatus.choices, blank=True
    )
    health_conditions = models.CharField(
        _("any health conditions"), max_length=3, choices=YesNo.choices, blank=True
    )
    health_details = models.TextField(_("health details"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["FactFind"]] = scoped(models.Manager["FactFind"])

    def __str__(self) -> str:
        return f"Fact Find of {self.contact}"


class FactFindAddress(FirmOwnedModel):
    """An address the client lived at, with dates (three years' history)."""

    fact_find = models.ForeignKey(
        FactFind, on_delete=models.CASCADE, related_name="addresses"
    )
    line1 = models.CharField(_("address"), max_length=120)
    town = models.CharField(_("town"), max_length=80, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    moved_in = models.DateField(_("moved in"))
    moved_out = models.DateField(_("moved out"), null=True, blank=True)

    objects: ClassVar[models.Manager["FactFindAddress"]] = scoped(
        models.Manager["FactFindAddress"]
    )

    class Meta:
        ordering = ["-moved_in", "-id"]
        verbose_name_plural = "fact find addresses"

    def __str__(self) -> str:
        return f"{self.line1}, {self.postcode}"

    @property
    def summary(self) -> str:
        """Return the address and its dates as one line."""
        place = ", ".join(p for p in (self.line1, self.town, self.postcode) if p)
        until = f"{self.moved_out:%b %Y}" if self.moved_out else "now"
        return f"{place} · {self.moved_in:%b %Y} to {until}"


class FactFindCommitment(FirmOwnedModel):
    """A regular outgoing or credit commitment of the client."""

    fact_find = models.ForeignKey(
        FactFind, on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("type"), max_length=16, choices=CommitmentKind.choices)
    description = models.CharField(_("description"), max_length=120, blank=True)
    monthly_payment = models.DecimalField(
        _("monthly payment (£)"), max_digits=10, decimal_places=2
    )
    balance = _money(_("balance outstanding (£)"))

    objects: ClassVar[models.Manager["FactFindCommitment"]] = scoped(
        models.Manager["FactFindCommitment"]
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.monthly_payment}/month"

    @property
    def summary(self) -> str:
        """Return the commitment, its payment and balance as one line."""
        parts = [str(self.get_kind_display()), self.description]
        parts.append(f"£{self.monthly_payment:,.2f} a month")
        if self.balance is not None:
            parts.append(f"£{self.balance:,.2f} owed")
        return " · ".join(p for p in parts if p)


class FactFindPolicy(FirmOwnedModel):
    """A protection or insurance policy the client already holds."""

    fact_find = models.ForeignKey(
        FactFind, on_delete=models.CASCADE, related_name="policies"
    )
    provider = models.CharField(_("provider"), max_length=80)
    kind = models.CharField(_("type"), max_length=24, choices=PolicyKind.choices)
    cover_amount = _money(_("cover amount (£)"))
    monthly_premium = _money(_("monthly premium (£)"))

    objects: ClassVar[models.Manager["FactFindPolicy"]] = scoped(
        models.Manager["FactFindPolicy"]
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "fact find policies"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.provider}"

    @property
    def summary(self) -> str:
        """Return the policy, its cover and premium as one line."""
        parts = [str(self)]
        if self.cover_amount is not None:
            parts.append(f"£{self.cover_amount:,.2f} cover")
        if self.monthly_premium is not None:
            parts.append(f"£{self.monthly_premium:,.2f} a month")
        return " · ".join(parts)


class DemandsNeeds(FirmOwnedModel):
    """What the client wants from the advice on one case (F2)."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="demands_needs"
    )
    # Mortgage
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)
    property_value = _money(_("property value (£)"))
    deposit = _money(_("deposit (£)"))
    loan_amount = _money(_("loan amount (£)"))
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), null=True, blank=True
    )
    repayment_method = models.CharField(
        _("repayment method"), max_length=16, blank=True
    )
    rate_preference = models.CharField(
        _("rate preference"), max_length=10, choices=RatePreference.choices, blank=True
    )
    fee_preference = models.CharField(
        _("fees"), max_length=8, choices=FeePreference.choices, blank=True
    )
    # Protection
    cover_reasons = models.TextField(_("reasons for cover"), blank=True)
    cover_types = models.JSONField(_("cover types wanted"), default=list, blank=True)
    cover_amount = _money(_("amount of cover (£)"))
    cover_term_years = models.PositiveSmallIntegerField(
        _("term of cover (years)"), null=True, blank=True
    )
    monthly_budget = _money(_("monthly budget (£)"))
    existing_cover = models.TextField(_("existing cover"), blank=True)
    priorities = models.TextField(_("priorities"), blank=True)
    # Advice
    adviser_notes = models.TextField(_("adviser notes"), blank=True)
    recommendation = models.TextField(_("recommendation rationale"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["DemandsNeeds"]] = scoped(
        models.Manager["DemandsNeeds"]
    )

    class Meta:
        verbose_name_plural = "demands and needs"

    def __str__(self) -> str:
        return f"Demands & Needs of {self.case}"
