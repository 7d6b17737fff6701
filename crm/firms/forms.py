"""Forms for login, invitations, members and firm details."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.firms.choices import Perm, Role
from crm.firms.models import Firm, hex_colour, one_line, reference_prefix


class LoginForm(AuthenticationForm):
    """Log in with e-mail and password."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "That e-mail address and password do not match an account. "
            "Check them and try again."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args: Any, wait_seconds: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wait_seconds = wait_seconds

    def clean(self) -> dict[str, Any]:
        """Refuse without checking the password while the account is slowed."""
        if self.wait_seconds > 0:
            raise forms.ValidationError(
                ngettext(
                    "There have been too many failed sign-ins to this account. "
                    "Wait %(seconds)d second and try again.",
                    "There have been too many failed sign-ins to this account. "
                    "Wait %(seconds)d seconds and try again.",
                    self.wait_seconds,
                ),
                code="slowed",
                params={"seconds": self.wait_seconds},
            )
        return super().clean()


class InviteForm(forms.Form):
    """Invite someone to the firm by e-mail."""

    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.ADVISER
    )


class AcceptInvitationForm(forms.Form):
    """Set a name and password (new user) or confirm the password (existing)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, existing_account: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing_account = existing_account
        if existing_account:
            for name in ("first_name", "last_name", "password2"):
                del self.fields[name]
            self.fields["password1"].label = _("Your current Casework password")
            self.fields["password1"].help_text = ""
            self.fields["password1"].widget.attrs["autocomplete"] = "current-password"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.existing_account:
            one, two = data.get("password1"), data.get("password2")
            if one and two and one != two:
                self.add_error("password2", _("The two passwords do not match."))
        return data


class MemberForm(forms.Form):
    """A member's role and, for owners, their exact permissions."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"),
        choices=Perm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ticked permissions are what this member can do. Changes from the "
            "role's defaults are kept as single grants or revokes."
        ),
    )

    weekly_hours = forms.DecimalField(
        label=_("Weekly hours available"),
        required=False,
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        help_text=_(
            "Hours a week this member has for casework; the Workload page "
            "compares their planned hours with it. Leave blank if not known."
        ),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, can_edit_permissions: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_edit_permissions:
            del self.fields["permissions"]


class FirmForm(forms.Form):
    """The firm's details (A5)."""

    name = forms.CharField(label=_("Firm name"), max_length=120, validators=[one_line])
    brand_colour = forms.CharField(
        label=_("Branding colour"),
        max_length=7,
        validators=[hex_colour],
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("Used for the top bar; text colour is chosen to stay readable."),
    )
    case_reference_prefix = forms.CharField(
        label=_("Case reference prefix"),
        max_length=6,
        required=False,
        help_text=_("Optional, e.g. HA gives references like HA-MTG-00042."),
    )
    default_follow_up_days = forms.IntegerField(
        label=_("Default follow-up (days)"), min_value=0, max_value=365
    )
    remortgage_review_months = forms.IntegerField(
        label=_("Remortgage review (months before the product ends)"),
        min_value=0,
        max_value=24,
        help_text=_(
            "When a mortgage case completes, its Remortgage case is due for "
            "follow-up this many months before the product end date."
        ),
    )
    stale_case_days = forms.IntegerField(
        label=_("Stale case alert (days)"),
        min_value=0,
        max_value=365,
        help_text=_(
            "Support cases: alert the case manager and managers when a High or "
            "Urgent case has had no interaction for this many days. 0 turns it off."
        ),
    )
    has_advice = forms.BooleanField(
        label=_("Advice module (mortgages and protection)"), required=False
    )
    has_support = forms.BooleanField(
        label=_("Support module (support cases)"), required=False
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor sign-in for all members"),
        required=False,
        help_text=_(
            "Members without it, you included, are sent to set it up (an "
            "authenticator app and recovery codes) before they can open any "
            "other page."
        ),
    )

    def __init__(
        self,
        *args: Any,
        is_owner: bool = True,
        has_support: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not is_owner:
            field = self.fields["require_two_factor"]
            field.disabled = True
            field.help_text = _("Only the firm's owner can change this.")
        if not has_support:
            # A support-case setting: only a firm with the Support module has it.
            del self.fields["stale_case_days"]

    def clean_case_reference_prefix(self) -> str:
        value = str(self.cleaned_data.get("case_reference_prefix", "")).upper()
        reference_prefix(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("has_advice") or data.get("has_support")):
            self.add_error("has_support", _("Choose at least one module."))
        return data

    @classmethod
    def initial_for(cls, firm: Firm) -> dict[str, Any]:
        """Return the form's initial data from ``firm``."""
        return {name: getattr(firm, name) for name in cls.base_fields}


class TwoFactorCodeForm(forms.Form):
    """One code: from the authenticator app or (unless ``app_only``) a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
        help_text=_(
            "The 6-digit code your authenticator app shows for Casework, or "
            "one of your recovery codes."
        ),
    )

    def __init__(
        self, *args: Any, app_only: bool = False, autofocus: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not autofocus:
            self.fields["code"].widget.attrs.pop("autofocus", None)
        if app_only:
            field = self.fields["code"]
            field.help_text = _("The 6-digit code the app shows now.")
            field.widget.attrs["inputmode"] = "numeric"
