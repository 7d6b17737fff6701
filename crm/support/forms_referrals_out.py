"""Forms of referrals out: the Refer form and the partner's answer (SPEC I12).

They parse what was typed and keep it for a re-render; the services check
every rule (consent, dates, the member who took consent, the link's key).
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.support.choices import ConsentMethod, PartnerAction
from crm.support.services.referrals_out import (
    MESSAGE_MAX,
    PURPOSE_MAX,
    SHARED_NEED_MAX,
    UPDATE_MAX,
    ReferralOutData,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferOutForm(forms.Form):
    """Refer the beneficiary to an external service, with consent to share."""

    shared_name = forms.CharField(
        label=_("Name to share"),
        max_length=120,
        help_text=_("How the partner will know the person."),
        error_messages={"required": _("Enter the name to share with them.")},
    )
    shared_need = forms.CharField(
        label=_("What they need help with"),
        max_length=SHARED_NEED_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the person needs help with.")},
    )
    message = forms.CharField(
        label=_("Message to the partner"),
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. The partner sees only the name, the need and this."),
    )
    consent_purpose = forms.CharField(
        label=_("Purpose the beneficiary agreed to"),
        max_length=PURPOSE_MAX,
        help_text=_("For example: so the food bank can arrange a delivery."),
        error_messages={
            "required": _(
                "Enter what the beneficiary agreed their details may be shared for."
            )
        },
    )
    consent_date = forms.DateField(
        label=_("Date consent was given"),
        widget=DATE_INPUT,
        error_messages={
            "required": _("Enter the date consent was given."),
            "invalid": _("Enter a real date, e.g. 14/03/2026."),
        },
    )
    consent_taken_by = forms.TypedChoiceField(
        label=_("Consent taken by"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Choose who took the consent."),
            "invalid_choice": _("Choose the member of the team who took the consent."),
        },
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how consent was given.")},
    )

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.fields["consent_taken_by"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
            ("", _("Choose…")),
            *firm_selectors.member_choices(firm=firm),
        ]
        self.fields["consent_date"].initial = timezone.localdate()

    def to_data(self) -> ReferralOutData:
        """Return the cleaned data as the service's input."""
        data = self.cleaned_data
        taken_by = (
            firm_selectors.membership_list(firm=self.firm, include_inactive=False)
            .filter(user_id=data["consent_taken_by"])
            .first()
        )
        if taken_by is None:  # left the firm between page and post
            raise forms.ValidationError(
                _("Choose the member of the team who took the consent.")
            )
        user: User = taken_by.user
        return ReferralOutData(
            shared_name=data["shared_name"],
            shared_need=data["shared_need"],
            message=data.get("message") or "",
            consent_purpose=data["consent_purpose"],
            consent_date=data["consent_date"],
            consent_taken_by=user,
            consent_method=data["consent_method"],
        )


class PartnerForm(forms.Form):
    """The partner's answer: accept or decline once, then updates (I12)."""

    action = forms.ChoiceField(choices=PartnerAction.choices)
    key = forms.CharField(max_length=64)
    text = forms.CharField(
        label=_("Your update"),
        required=False,
        max_length=UPDATE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": UPDATE_MAX}),
    )
