"""Forms of the complaints register (M5)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.complaints.choices import ComplaintCategory, ComplaintOutcome, ComplaintRoute
from crm.core.fields import DateField
from crm.firms.models import User
from crm.tasks.forms import MemberChoiceField


class ComplaintForm(forms.Form):
    """A complaint as it comes in: when, about what, who handles it, what was said."""

    received_on = DateField(label=_("Received on"))
    category = forms.ChoiceField(label=_("Category"), choices=ComplaintCategory.choices)
    route = forms.ChoiceField(
        label=_("Handling"),
        choices=ComplaintRoute.choices,
        widget=forms.RadioSelect,
        initial=ComplaintRoute.STANDARD,
        help_text=_(
            "Summary resolution is for a complaint resolved to the client's "
            "satisfaction by the end of the third business day."
        ),
    )
    handler = MemberChoiceField(
        label=_("Handler"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    summary = forms.CharField(
        label=_("What the client said"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = members  # type: ignore[attr-defined]  # ModelChoiceField


class ResolutionForm(forms.Form):
    """A complaint's outcome, redress and the date of the final response."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=ComplaintOutcome.choices)
    final_response_on = DateField(label=_("Final response sent on"))
    redress = forms.DecimalField(
        label=_("Redress paid (£)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=10_000_000,
    )
    resolution = forms.CharField(
        label=_("Resolution notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
