"""Forms of protection policies and quotes (G1, G2)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.protection.choices import (
    BenefitType,
    CoverBasis,
    PolicyStatus,
    PremiumFrequency,
)
from crm.protection.models import Policy
from crm.protection.quotes import QUOTABLE
from crm.protection.selectors import QuoteBasis
from crm.protection.services import MAX_TERM_YEARS, PolicyData

NOT_KNOWN = ("", _("Not known yet"))


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=12, decimal_places=2, min_value=0
    )


class PolicyForm(forms.Form):
    """A policy's fields; the four a submission needs may be left for later."""

    provider = forms.CharField(label=_("Provider"), required=False, max_length=80)
    product = forms.CharField(label=_("Product"), required=False, max_length=120)
    benefit_type = forms.ChoiceField(
        label=_("Benefit type"),
        required=False,
        choices=[NOT_KNOWN, *BenefitType.choices],
    )
    benefit_amount = _money(_("Benefit amount (£)"))
    premium = _money(_("Premium (£)"))
    premium_frequency = forms.ChoiceField(
        label=_("Premium frequency"), choices=PremiumFrequency.choices
    )
    term_years = forms.IntegerField(
        label=_("Term (years)"), required=False, min_value=1, max_value=MAX_TERM_YEARS
    )
    cover_basis = forms.ChoiceField(label=_("Cover basis"), choices=CoverBasis.choices)
    lives_assured = forms.CharField(
        label=_("Lives assured"), required=False, max_length=160
    )
    status = forms.ChoiceField(label=_("Status"), choices=PolicyStatus.choices)

    @classmethod
    def initial_for(cls, policy: Policy) -> dict[str, Any]:
        """Return the form's initial values from ``policy``."""
        return {name: getattr(policy, name) for name in cls.base_fields}

    def to_data(self) -> PolicyData:
        """Return the cleaned values as the service's input."""
        return PolicyData(**self.cleaned_data)


class QuoteForm(forms.Form):
    """The cover to price, filled in from the Demands & Needs (G2)."""

    benefit_type = forms.ChoiceField(
        label=_("Cover"),
        choices=[(t.value, t.label) for t in QUOTABLE],
    )
    amount = forms.DecimalField(
        label=_("Benefit amount (£)"),
        max_digits=12,
        decimal_places=2,
        min_value=1000,
        max_value=10_000_000,
        help_text=_("A month for income protection; a year for family income."),
    )
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=5, max_value=40)
    cover_basis = forms.ChoiceField(
        label=_("Cover basis"),
        choices=CoverBasis.choices,
        help_text=_("Decreasing cover applies to life and critical illness."),
    )

    @classmethod
    def initial_from(cls, basis: QuoteBasis) -> dict[str, Any]:
        """Return the form's data from the D&N: its first cover type, amount, term."""
        amount = basis.amount
        if amount is not None and amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
        return {
            "benefit_type": basis.cover_types[0] if basis.cover_types else "",
            "amount": amount,
            "term_years": basis.term_years,
            "cover_basis": CoverBasis.LEVEL,
        }
