"""The section forms of the Fact Find and the Demands & Needs (F1, F2).

Each section of the case page is one form; the forms only parse input and
the services write. Every field is optional here: completeness (F3) says what
a case needs, so a half-known Fact Find can still be saved.
"""

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from crm.advice.choices import RepaymentMethod
from crm.advice.factfind.choices import (
    CommitmentKind,
    CoverType,
    EmploymentStatus,
    FeePreference,
    MaritalStatus,
    PolicyKind,
    RatePreference,
    SmokerStatus,
    YesNo,
)
from crm.core.fields import ChoiceField, DateField, IdField
from crm.core.formcopy import QuickCopyForm

NOT_KNOWN = ("", _("Not known yet"))


def _money(label: Any, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def _choice(label: Any, choices: Any) -> ChoiceField:
    return ChoiceField(label=label, choices=[NOT_KNOWN, *choices])


def _text(label: Any, max_length: int = 120) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


def _area(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SectionForm(QuickCopyForm):
    """A section's form: its ids are prefixed per applicant; read-only when told.

    Unbound, the case page draws it through ``crm.core.formdraw`` (each
    field kept per value): a section form's ``__init__`` must not read its
    initial data.
    """

    draw_from_memo = True

    def __init__(
        self, *args: Any, id_prefix: str = "id", editable: bool = True, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"{id_prefix}_%s")
        super().__init__(*args, **kwargs)
        if not editable:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def initial_for(cls, obj: Any) -> dict[str, Any]:
        """Return the form's initial data from ``obj`` (maybe unsaved)."""
        return {name: getattr(obj, name) for name in cls.base_fields}


class PersonalForm(SectionForm):
    date_of_birth = DateField(label=_("Date of birth"), required=False)
    marital_status = _choice(_("Marital status"), MaritalStatus.choices)
    nationality = _text(_("Nationality"), 60)
    dependants = forms.IntegerField(
        label=_("Number of dependants"), required=False, min_value=0, max_value=20
    )
    dependants_ages = _text(_("Ages of dependants"), 60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget.attrs["autocomplete"] = "bday"
        self.fields["dependants_ages"].help_text = _("For example: 4, 7")


class EmploymentForm(SectionForm):
    employment_status = _choice(_("Employment status"), EmploymentStatus.choices)
    occupation = _text(_("Occupation"), 80)
    employer = _text(_("Employer or business name"))
    employment_start = DateField(label=_("Start date"), required=False)
    net_profit_latest = _money(_("Net profit, latest year (£)"))
    net_profit_previous = _money(_("Net profit, previous year (£)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["net_profit_latest"].help_text = _(
            "Self-employed and contractors: from the latest accounts or SA302."
        )


class IncomeForm(SectionForm):
    basic_income = _money(_("Basic annual income (£)"))
    bonus_income = _money(_("Annual bonus (£)"))
    overtime_income = _money(_("Annual overtime (£)"))
    other_income = _money(_("Other annual income (£)"))
    net_monthly_income = _money(_("Net monthly income (£)"))


class HealthForm(SectionForm):
    smoker_status = _choice(_("Smoker status"), SmokerStatus.choices)
    health_conditions = _choice(_("Any health conditions"), YesNo.choices)
    health_details = _area(_("Health details"))


class AddressForm(SectionForm):
    line1 = forms.CharField(label=_("Address"), max_length=120)
    town = _text(_("Town"), 80)
    postcode = forms.CharField(label=_("Postcode"), max_length=10)
    moved_in = DateField(label=_("Moved in"))
    moved_out = DateField(
        label=_("Moved out"), required=False, help_text=_("Leave empty if current.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        moved_in, moved_out = data.get("moved_in"), data.get("moved_out")
        if moved_in and moved_out and moved_out < moved_in:
            self.add_error("moved_out", _("Enter a date after the move-in date."))
        return data


class CommitmentForm(SectionForm):
    kind = ChoiceField(label=_("Type"), choices=CommitmentKind.choices, required=True)
    description = _text(_("Description"))
    monthly_payment = _money(_("Monthly payment (£)"), required=True)
    balance = _money(_("Balance outstanding (£)"))


class PolicyKindBoundField(BoundField):
    """A policy's "kind" input, with an id of its own.

    The commitments section's form, on the same page, has a "kind" too: one
    id for both would put each "Type" label (and error list) on one select.
    """

    @property
    def auto_id(self) -> str:
        """Return ``<prefix>_policy_kind`` (the field's name stays ``kind``)."""
        auto_id = super().auto_id
        if not auto_id:
            return auto_id
        return auto_id.removesuffix(self.html_name) + "policy_kind"


class PolicyForm(SectionForm):
    provider = forms.CharField(label=_("Provider"), max_length=80)
    kind = ChoiceField(
        label=_("Type"),
        choices=PolicyKind.choices,
        required=True,
        bound_field_class=PolicyKindBoundField,
    )
    cover_amount = _money(_("Cover amount (£)"))
    monthly_premium = _money(_("Monthly premium (£)"))


class RemoveRowForm(forms.Form):
    """Which row of a section to remove."""

    row = IdField()


class DNMortgageForm(SectionForm):
    purpose = _text(_("Purpose"))
    property_value = _money(_("Property value (£)"))
    deposit = _money(_("Deposit (£)"))
    loan_amount = _money(_("Loan amount (£)"))
    term_years = forms.IntegerField(
        label=_("Term (years)"), required=False, min_value=1, max_value=40
    )
    repayment_method = _choice(_("Repayment method"), RepaymentMethod.choices)
    rate_preference = _choice(_("Rate preference"), RatePreference.choices)
    fee_preference = _choice(_("Fees"), FeePreference.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].help_text = _(
            "For example: first home, moving home, remortgage to release equity."
        )


class DNProtectionForm(SectionForm):
    cover_reasons = _area(_("Reasons for cover"))
    cover_types = forms.MultipleChoiceField(
        label=_("Cover types wanted"),
        required=False,
        choices=CoverType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    cover_amount = _money(_("Amount of cover (£)"))
    cover_term_years = forms.IntegerField(
        label=_("Term of cover (years)"), required=False, min_value=1, max_value=50
    )
    monthly_budget = _money(_("Monthly budget (£)"))
    existing_cover = _area(_("Existing cover"))
    priorities = _area(_("Priorities"))


class DNAdviceForm(SectionForm):
    adviser_notes = _area(_("Adviser notes"))
    recommendation = _area(_("Recommendation rationale"))
