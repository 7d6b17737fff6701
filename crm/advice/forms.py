"""Forms for cases: the case's details, reopening, mortgage details.

Choices of related rows come from selectors, so only the firm's own rows are
offered. The forms only parse input; the services do every write.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.advice.choices import (
    MortgagePurpose,
    MortgageType,
    RepaymentMethod,
)
from crm.advice.models import MortgageDetails
from crm.advice.selectors.board import BoardFilters
from crm.advice.services import MortgageData
from crm.cases.models import Case
from crm.cases.services import reopen_statuses
from crm.core.concurrency import VersionField
from crm.core.exceptions import NotFound
from crm.firms.models import Firm
from crm.leads import selectors as lead_selectors

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _id_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None
    )


class CaseEditForm(forms.Form):
    """A case's adviser, follow-up date and note; its status moves elsewhere."""

    owner = _id_field(_("Owner"))
    follow_up_date = forms.DateField(
        label=_("Follow-up date"), required=False, widget=DATE_INPUT
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = VersionField()

    def __init__(
        self,
        *args: Any,
        firm: Firm,
        case: Case,
        owners: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.case = case
        choices = [("", _("Unassigned")), *owners]
        if case.owner_id is not None and case.owner_id not in dict(owners):
            choices.append((case.owner_id, _("%(name)s (left)") % {"name": case.owner}))
        self.fields["owner"].choices = choices  # type: ignore[attr-defined]  # TypedChoiceField

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        """Return the form's initial data from ``case``."""
        return {
            "owner": case.owner_id,
            "follow_up_date": case.follow_up_date,
            "note": case.note,
            "version": case.version,
        }

    def clean_owner(self) -> Any:
        owner_id = self.cleaned_data.get("owner")
        if owner_id is None:
            return None
        if owner_id == self.case.owner_id:
            return self.case.owner
        try:
            return lead_selectors.adviser_get(firm=self.firm, user_id=owner_id)
        except NotFound as exc:
            raise forms.ValidationError(_("Choose a member of this firm.")) from exc


class CaseReopenForm(forms.Form):
    """Why a closed case is reopened, and the stage it goes back to.

    ``kind`` is the case's kind, whose open stages are offered.
    """

    # No field's drawing depends on another's initial value (``crm.core.formdraw``).
    draw_from_memo = True

    status = forms.ChoiceField(label=_("Reopen at"))
    reason = forms.CharField(
        label=_("Why is the case being reopened?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            (value, label) for value, label in reopen_statuses(kind)
        ]


class MortgageForm(forms.Form):
    """A mortgage case's details (G8); LTV is computed, not entered."""

    mortgage_type = forms.ChoiceField(
        label=_("Mortgage type"), choices=MortgageType.choices
    )
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("Not known yet")), *MortgagePurpose.choices],
    )
    property_value = forms.DecimalField(
        label=_("Property value (£)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
    )
    loan_amount = forms.DecimalField(
        label=_("Loan amount (£)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
    )
    term_years = forms.IntegerField(label=_("Term (years)"), required=False)
    term_months = forms.IntegerField(label=_("and months"), required=False)
    repayment_method = forms.ChoiceField(
        label=_("Repayment method"),
        required=False,
        choices=[("", _("Not known yet")), *RepaymentMethod.choices],
    )
    offer_qualified = forms.BooleanField(label=_("Offer Qualified"), required=False)
    lender = forms.CharField(label=_("Lender"), required=False, max_length=120)
    product = forms.CharField(label=_("Product"), required=False, max_length=160)
    application_date = forms.DateField(
        label=_("Application date"), required=False, widget=DATE_INPUT
    )
    offer_date = forms.DateField(
        label=_("Offer date"), required=False, widget=DATE_INPUT
    )
    completion_date = forms.DateField(
        label=_("Completion date"), required=False, widget=DATE_INPUT
    )
    product_end_date = forms.DateField(
        label=_("Product end date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The remortgage review is due six months before this date."),
    )

    @staticmethod
    def initial_for(details: MortgageDetails | None) -> dict[str, Any]:
        """Return the form's initial data from the case's mortgage details."""
        if details is None:
            return {}
        return {name: getattr(details, name) for name in MortgageData.__annotations__}

    def to_data(self) -> MortgageData:
        """Return the cleaned data as the service's input."""
        data = self.cleaned_data
        return MortgageData(
            **{name: data[name] for name in MortgageData.__annotations__}
        )


BOARD_FOLLOW_UP_CHOICES = [
    ("", _("Any follow-up")),
    ("due", _("Due today")),
    ("overdue", _("Overdue")),
    ("none", _("No follow-up date")),
]


class BoardFilterForm(forms.Form):
    """A board's filters: adviser, introducer and follow-up state (D2)."""

    owner = _id_field(_("Adviser"))
    introducer = _id_field(_("Introducer"))
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), required=False, choices=BOARD_FOLLOW_UP_CHOICES
    )

    def __init__(
        self,
        *args: Any,
        owners: list[tuple[int, str]],
        introducers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("All advisers")), *owners]  # type: ignore[attr-defined]  # TypedChoiceField
        self.fields["introducer"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
            ("", _("Any introducer")),
            *introducers,
        ]

    def filters(self) -> BoardFilters:
        """Return the valid filters (an invalid value is left out)."""
        if not self.is_bound:
            return BoardFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return BoardFilters(
            owner_id=data.get("owner"),
            introducer_id=data.get("introducer"),
            follow_up=data.get("follow_up") or "",
        )
