"""Forms for data protection pages."""

from typing import Any

from django import forms

from crm.cases import retention
from crm.firms.models import Firm


def field_name(key: str) -> str:
    """Return the form field of retention rule ``key``."""
    return f"years_{key or 'no_case'}"


class RetentionForm(forms.Form):
    """The firm's retention period per case kind, in years (SPEC M1)."""

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = retention.rules(firm)
        for rule in self.rules:
            if rule.min_years:
                help_text = f"At least {rule.min_years} years: the regulator's minimum."
            else:
                help_text = "Your own choice; no regulator sets a minimum."
            self.fields[field_name(rule.key)] = forms.IntegerField(
                label=f"{rule.label} (years)",
                min_value=rule.min_years,
                max_value=retention.MAX_YEARS,
                help_text=help_text,
                error_messages={
                    "min_value": (
                        f"{rule.label} records must be kept at least "
                        f"{rule.min_years} years."
                    ),
                    "required": "Enter a number of years.",
                    "invalid": "Enter a whole number of years.",
                },
            )

    @staticmethod
    def initial_for(firm: Firm) -> dict[str, int]:
        """Return the form's initial values: the periods in force."""
        return {field_name(k): v for k, v in retention.periods(firm=firm).items()}

    def years(self) -> dict[str, int]:
        """Return the cleaned periods keyed by rule key."""
        return {
            rule.key: self.cleaned_data[field_name(rule.key)] for rule in self.rules
        }


class EraseForm(forms.Form):
    """The confirmation an erasure asks for (SPEC M3)."""

    confirm = forms.BooleanField(
        label="I understand this removes the client's personal data for good.",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )
