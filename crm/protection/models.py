"""Protection policies on a protection case (SPEC G1)."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.cases.models import Case
from crm.core.models import FirmOwnedModel, scoped
from crm.protection.choices import (
    ACTIVE_STATUSES,
    UNSUPPORTED_BENEFIT_TYPES,
    BenefitType,
    CoverBasis,
    PolicyStatus,
    PremiumFrequency,
)

# Provider, benefit type, benefit amount and premium: required to submit (G1).
REQUIRED_FIELDS = (
    ("provider", _("Provider")),
    ("benefit_type", _("Benefit type")),
    ("benefit_amount", _("Benefit amount")),
    ("premium", _("Premium")),
)


class Policy(FirmOwnedModel):
    """A protection policy quoted, recommended or placed on a case (G1).

    The four fields a submission requires may be blank while the adviser
    works; the readiness check lists what each policy still lacks.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="protection_policies"
    )
    provider = models.CharField(_("provider"), max_length=80, blank=True)
    product = models.CharField(_("product"), max_length=120, blank=True)
    benefit_type = models.CharField(
        _("benefit type"), max_length=24, choices=BenefitType.choices, blank=True
    )
    benefit_amount = models.DecimalField(
        _("benefit amount (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    premium = models.DecimalField(
        _("premium (£)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    premium_frequency = models.CharField(
        _("premium frequency"),
        max_length=10,
        choices=PremiumFrequency.choices,
        default=PremiumFrequency.MONTHLY,
    )
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), null=True, blank=True
    )
    cover_basis = models.CharField(
        _("cover basis"),
        max_length=10,
        choices=CoverBasis.choices,
        default=CoverBasis.LEVEL,
    )
    lives_assured = models.CharField(_("lives assured"), max_length=160, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PolicyStatus.choices,
        default=PolicyStatus.QUOTED,
    )
    quote_reference = models.CharField(_("quote reference"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Policy"]] = scoped(models.Manager["Policy"])

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        kind = self.get_benefit_type_display() or "Policy"
        return f"{kind} with {self.provider}" if self.provider else str(kind)

    @property
    def is_active(self) -> bool:
        """Return whether the policy is submitted or on risk."""
        return self.status in ACTIVE_STATUSES

    @property
    def is_unsupported(self) -> bool:
        """Return whether Concert Hub refuses the policy's benefit type."""
        return self.benefit_type in UNSUPPORTED_BENEFIT_TYPES

    @property
    def anchor(self) -> str:
        """Return the id of the policy's row on the case page."""
        return f"policy-{self.pk}"


from crm.protection.tally.models import PolicyTally  # noqa: E402, F401  (the tally)
