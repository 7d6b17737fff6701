"""Forms of the complaints register (M5)."""

import copy
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.complaints.choices import ComplaintCategory, ComplaintOutcome, ComplaintRoute
from crm.complaints.models import Complaint
from crm.complaints.services import ComplaintChanges, ResolutionData
from crm.core.concurrency import VersionField
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


class ComplaintEditForm(ComplaintForm):
    """A complaint's facts as corrected, with its outcome once resolved (M5, A10)."""

    def __init__(
        self, *args: Any, members: QuerySet[User], resolved: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, members=members, **kwargs)
        self.resolved = resolved
        if resolved:
            for name, field in ResolutionForm.base_fields.items():
                self.fields[name] = copy.deepcopy(field)
        # An edit carries the version it was opened on (A10).
        self.fields["version"] = VersionField()

    @staticmethod
    def initial_for(complaint: Complaint) -> dict[str, Any]:
        """Return the form's initial data from ``complaint``."""
        return {
            "received_on": complaint.received_on,
            "category": complaint.category,
            "route": complaint.route,
            "handler": complaint.handler_id,
            "summary": complaint.summary,
            "outcome": complaint.outcome,
            "final_response_on": complaint.final_response_on,
            "redress": complaint.redress,
            "resolution": complaint.resolution,
            "version": complaint.version,
        }

    def to_changes(self) -> ComplaintChanges:
        """Return the cleaned values as the service's input."""
        data = self.cleaned_data
        resolution = (
            ResolutionData(
                outcome=data["outcome"],
                final_response_on=data["final_response_on"],
                redress=data["redress"],
                resolution=data["resolution"],
            )
            if self.resolved
            else None
        )
        return ComplaintChanges(
            received_on=data["received_on"],
            category=data["category"],
            route=data["route"],
            summary=data["summary"],
            handler=data["handler"],
            resolution=resolution,
        )
