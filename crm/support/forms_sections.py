"""Forms of a support case's sections: needs and outcomes, planned support,
external services (SPEC I4-I6).

Choices of related rows come from selectors; the services check every rule,
so these forms only parse what was typed and keep it for a re-render.
"""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.contacts import selectors as contact_selectors
from crm.core.exceptions import NotFound
from crm.core.http import MAX_ID
from crm.firms.models import Firm, User
from crm.support.choices import ItemKind, PlanStatus
from crm.support.models import PlannedSupport
from crm.support.services.links import ROLE_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.Form):
    """A need or outcome typed into the box under its section (I4)."""

    kind = forms.ChoiceField(choices=ItemKind.choices)
    # The service trims and checks the text, so an empty box gets its message.
    text = forms.CharField(required=False, strip=False)


class AchievedForm(forms.Form):
    """Mark a desired outcome achieved on a date (today if blank), or not."""

    achieved = forms.BooleanField(required=False)
    achieved_on = forms.DateField(
        label=_("Date achieved"), required=False, widget=DATE_INPUT
    )

    def achieved_date(self) -> date | None:
        """Return the date to record: the one given, today, or None to unmark."""
        if not self.cleaned_data.get("achieved"):
            return None
        chosen: date | None = self.cleaned_data.get("achieved_on")
        return chosen or timezone.localdate()


class LeadChoiceField(forms.ModelChoiceField[User]):
    """A member picker that shows names rather than e-mail addresses."""

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class PlanForm(forms.Form):
    """A planned support entry: what, by when, who leads it, how far along (I5)."""

    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter a description of the support.")},
    )
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=DATE_INPUT
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_(
            "Optional: how long it should take (the Workload page adds it up)."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    lead = LeadChoiceField(
        label=_("Lead"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("The team member responsible."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PlanStatus.choices, initial=PlanStatus.PLANNED
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members  # type: ignore[attr-defined]  # ModelChoiceField

    @classmethod
    def initial_for(cls, plan: PlannedSupport) -> dict[str, Any]:
        """Return the form's initial data from ``plan``."""
        return {
            "description": plan.description,
            "target_date": plan.target_date,
            "duration_minutes": plan.duration_minutes,
            "lead": plan.lead_id,
            "status": plan.status,
        }


class ServiceLinkForm(forms.Form):
    """Link a CRM contact to the case in a role, with an optional note (I6)."""

    contact = forms.IntegerField(
        label=_("Contact"),
        min_value=1,
        max_value=MAX_ID,
        error_messages={
            "required": _("Search for and select a contact."),
            "invalid": _("Search for and select a contact."),
        },
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=ROLE_MAX,
        help_text=_("For example GP, solicitor or housing officer."),
        error_messages={"required": _("Enter their role, e.g. GP or solicitor.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optionally add a note to log this connection as a touchpoint."),
    )

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm

    def clean_contact(self) -> Any:
        contact_id = self.cleaned_data["contact"]
        try:
            return contact_selectors.contact_get(firm=self.firm, contact_id=contact_id)
        except NotFound as exc:
            raise forms.ValidationError(_("Choose a contact of this firm.")) from exc

    @property
    def selected_contact(self) -> Any:
        """Return the contact chosen so far (posted and valid), for the picker."""
        return getattr(self, "cleaned_data", {}).get("contact")
