"""Forms of the Workload page (SPEC I13): whose cases to show, and the bulk reassign."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.firms.models import User
from crm.support.forms_sections import LeadChoiceField


class CaseIdsField(forms.MultipleChoiceField):
    """The ticked case ids; which of them may be moved is the service's call."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isascii() and str(value).isdigit() and len(str(value)) < 12

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]  # ints, not strs
        return [int(v) for v in super().to_python(value) if self.valid_value(v)]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], "required")


class ReassignForm(forms.Form):
    """Give the ticked cases to another case manager, with an optional reason."""

    cases = CaseIdsField(
        label=_("Cases"),
        error_messages={"required": _("Tick at least one case to reassign.")},
    )
    case_manager = LeadChoiceField(
        label=_("Give the ticked cases to"),
        queryset=User.objects.none(),
        empty_label=_("Choose a case manager"),
        error_messages={"required": _("Choose the case manager to give the cases to.")},
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        help_text=_("Kept in each case's history, e.g. “Rebalancing caseloads”."),
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = members  # type: ignore[attr-defined]  # ModelChoiceField
