"""Advice-only tables: mortgage details and the New Case wizard's memory."""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models

from crm.advice.choices import MortgagePurpose, MortgageType, RepaymentMethod
from crm.cases.models import Case
from crm.core.models import FirmOwnedModel, scoped

USER = settings.AUTH_USER_MODEL


class MortgageDetails(FirmOwnedModel):
    """Mortgage-only fields of a case (SPEC G8)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="mortgage")
    mortgage_type = models.CharField(
        max_length=12, choices=MortgageType.choices, default=MortgageType.RESIDENTIAL
    )
    purpose = models.CharField(
        max_length=16, choices=MortgagePurpose.choices, blank=True
    )
    property_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    loan_amount = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True
    )
    term_years = models.PositiveSmallIntegerField(null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    repayment_method = models.CharField(
        max_length=16, choices=RepaymentMethod.choices, blank=True
    )
    offer_qualified = models.BooleanField(default=False)
    lender = models.CharField(max_length=120, blank=True)
    product = models.CharField(max_length=160, blank=True)
    application_date = models.DateField(null=True, blank=True)
    offer_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    product_end_date = models.DateField(null=True, blank=True)
    review_of = models.OneToOneField(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remortgage_review",
        help_text="The completed mortgage case this Remortgage review follows.",
    )

    objects: ClassVar[models.Manager["MortgageDetails"]] = scoped(
        models.Manager["MortgageDetails"]
    )

    class Meta:
        verbose_name_plural = "mortgage details"
        indexes = [
            # The case page joins a case's Remortgage review by ``review_of``.
            # Most rows have none, and SQLite's statistics count the NULLs as
            # one value shared by every row, so it scanned the table rather
            # than use the unique index (15 ms at 150,000 mortgages); over
            # the rows that have one, the index is used.
            models.Index(
                fields=["review_of"],
                condition=models.Q(review_of__isnull=False),
                name="mortgage_review_of_set",
            )
        ]

    def __str__(self) -> str:
        return f"Mortgage details of {self.case}"

    @property
    def ltv(self) -> Decimal | None:
        """Return the loan to value as a percentage, to one decimal place."""
        if not self.property_value or self.loan_amount is None:
            return None
        return (self.loan_amount * 100 / self.property_value).quantize(Decimal("0.1"))


class WizardDraft(FirmOwnedModel):
    """A member's half-filled New Case wizard, so a reload keeps it (E1)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["WizardDraft"]] = scoped(
        models.Manager["WizardDraft"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "user"], name="wizard_draft_unique")
        ]

    def __str__(self) -> str:
        return f"Wizard draft of {self.user_id}"


class WizardPreference(FirmOwnedModel):
    """What the wizard pre-fills for a member next time (E7)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    adviser = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    introducer = models.ForeignKey(
        "firms.Introducer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introducer_branch = models.ForeignKey(
        "firms.IntroducerBranch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    negotiator = models.ForeignKey(
        "firms.Negotiator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_up_days = models.PositiveSmallIntegerField(null=True, blank=True)

    objects: ClassVar[models.Manager["WizardPreference"]] = scoped(
        models.Manager["WizardPreference"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "user"], name="wizard_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Wizard preferences of {self.user_id}"


# The Fact Find's tables live in their sub-package; importing them here
# registers them with the advice app.
from crm.advice.factfind.models import (  # noqa: E402
    DemandsNeeds,
    FactFind,
    FactFindAddress,
    FactFindCommitment,
    FactFindPolicy,
)

__all__ = [
    "DemandsNeeds",
    "FactFind",
    "FactFindAddress",
    "FactFindCommitment",
    "FactFindPolicy",
    "MortgageDetails",
    "WizardDraft",
    "WizardPreference",
]
