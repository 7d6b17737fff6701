"""Forms of referrals in: the public form, accepting and declining (I11)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.support.choices import ReferrerKind, Urgency
from crm.support.models import Pathway
from crm.support.services import ReferralData
from crm.support.services.referrals import REASON_MAX

HONEYPOT = "website"


class ReferralPublicForm(forms.Form):
    """The firm's public referral form; ``website`` is a honeypot left empty."""

    referrer_kind = forms.ChoiceField(
        label=_("Who is making this referral?"),
        choices=ReferrerKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say who is making the referral.")},
    )
    referrer_name = forms.CharField(
        label=_("Your name"), required=False, max_length=120
    )
    referrer_organisation = forms.CharField(
        label=_("Your organisation"), required=False, max_length=120
    )
    referrer_email = forms.EmailField(
        label=_("Your e-mail address"), required=False, max_length=254
    )
    referrer_phone = forms.CharField(
        label=_("Your phone number"), required=False, max_length=30
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=60,
        error_messages={"required": _("Enter the first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=60,
        error_messages={"required": _("Enter the last name.")},
    )
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=30)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    needs = forms.CharField(
        label=_("What help is needed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One need per line helps us, e.g. “Rent arrears”."),
        error_messages={"required": _("Tell us what help is needed.")},
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
    )
    pathway = forms.TypedChoiceField(
        label=_("Which service? (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    consent_to_contact = forms.BooleanField(
        label=_("The person being referred agrees that we may contact them."),
        error_messages={
            "required": _(
                "We can only take a referral when the person agrees to be contacted."
            )
        },
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, pathways: list[Pathway], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pathways = {p.pk: p for p in pathways}
        if pathways:
            self.fields["pathway"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
                ("", _("Not sure")),
                *((p.pk, p.name) for p in pathways),
            ]
        else:
            del self.fields["pathway"]

    @property
    def is_spam(self) -> bool:
        """Return whether the honeypot was filled in (by a bot)."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def referrer_fields(self) -> list[forms.BoundField]:
        """Return the professional's own fields."""
        names = ("referrer_name", "referrer_organisation", "referrer_email")
        return [self[n] for n in (*names, "referrer_phone")]

    def person_fields(self) -> list[forms.BoundField]:
        """Return the referred person's fields."""
        return [
            self[n] for n in ("first_name", "last_name", "email", "phone", "postcode")
        ]

    def to_data(self) -> ReferralData:
        """Return the cleaned data as the services' input."""
        data = self.cleaned_data
        pathway_id = data.get("pathway")
        return ReferralData(
            referrer_kind=data["referrer_kind"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            needs=data["needs"],
            consent_to_contact=data["consent_to_contact"],
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            postcode=data.get("postcode") or "",
            urgency=data["urgency"],
            pathway=self.pathways.get(pathway_id) if pathway_id else None,
            referrer_name=data.get("referrer_name") or "",
            referrer_organisation=data.get("referrer_organisation") or "",
            referrer_email=data.get("referrer_email") or "",
            referrer_phone=data.get("referrer_phone") or "",
        )


class ReferralAcceptForm(forms.Form):
    """Accept a referral: the case manager, the pathway, and which contact."""

    case_manager = forms.TypedChoiceField(
        label=_("Case manager"),
        coerce=int,
        empty_value=None,
        error_messages={"required": _("Choose a case manager.")},
    )
    pathway = forms.TypedChoiceField(
        label=_("Pathway"), required=False, coerce=int, empty_value=None
    )
    contact = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        owners: list[tuple[int, str]],
        pathways: list[Pathway],
        duplicates: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].choices = [("", _("Choose…")), *owners]  # type: ignore[attr-defined]  # TypedChoiceField
        self.pathways = {p.pk: p for p in pathways}
        self.fields["pathway"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
            ("", _("No pathway")),
            *((p.pk, p.name) for p in pathways),
        ]
        if duplicates:
            self.fields["contact"] = forms.ChoiceField(
                label=_("A contact with this e-mail or mobile already exists"),
                choices=[
                    *(
                        (str(c.pk), _("Use %(name)s") % {"name": c.display_name})
                        for c in duplicates
                    ),
                    ("new", _("Create a new contact anyway")),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a contact or a new one.")},
            )


class ReferralDeclineForm(forms.Form):
    """Decline a referral with the reason the referrer will read."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        help_text=_("The referrer is e-mailed this reason."),
        error_messages={"required": _("Give a reason; the referrer is told it.")},
    )
