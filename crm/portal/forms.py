"""Forms of the portal and of the staff action log."""

from typing import Any

from django import forms

from crm.portal.choices import ActionKind
from crm.portal.models import RequestedAction
from crm.portal.services.client import UPLOADS_NEEDED


class LoginForm(forms.Form):
    """A client's e-mail address and password."""

    email = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SetPasswordForm(forms.Form):
    """The password an invited client chooses, typed twice."""

    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 10 characters. A few words you will remember work well.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Repeat the password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        """Return the fields under the names the service takes."""
        data = super().clean() or {}
        return {
            "password": data.get("password1", ""),
            "password2": data.get("password2", ""),
        }


class UploadForm(forms.Form):
    """One file field per document the action asks for."""

    def __init__(self, *args: Any, action: RequestedAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for purpose, (label, _type) in UPLOADS_NEEDED.get(action.kind, {}).items():
            self.fields[purpose] = forms.FileField(
                label=label,
                help_text="A photo or scan: PDF, JPG or PNG, up to 20 MB.",
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.jpg,.jpeg,.png,.heic"}
                ),
            )


class ConsentForm(forms.Form):
    """The client's confirmation of the consent text version they read."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    agree = forms.BooleanField(
        label="I have read this and I agree to the credit search",
        error_messages={"required": "Tick the box to confirm that you agree."},
    )


class ReviewForm(forms.Form):
    """Staff approve or reject a client's uploads; a rejection needs a reason."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(required=False, max_length=300)


def wanted_actions(data: Any, contact_ids: list[int]) -> dict[int, list[str]]:
    """Return the action kinds ticked per client (``actions_<contact id>``)."""
    return {
        cid: [k for k in data.getlist(f"actions_{cid}") if k in ActionKind.values]
        for cid in contact_ids
    }
