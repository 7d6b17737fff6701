"""The wizard's steps and the form of each (SPEC E2-E6, seed 000)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.advice.choices import (
    WIZARD_START_STATUSES,
    AdviceKind,
    AdviceStatus,
    ApplicantMode,
    MortgageType,
)
from crm.contacts import selectors as contact_selectors
from crm.contacts import services as contact_services
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.contacts.normalise import normalise_email, normalise_phone
from crm.core.exceptions import NotFound
from crm.core.http import parse_id
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.leads import selectors as lead_selectors

PRODUCT, MAIN, JOINT, INTRODUCER, ADVISER = (
    "product",
    "main",
    "joint",
    "introducer",
    "adviser",
)


@dataclass(frozen=True)
class Step:
    """One step of the wizard: its URL slug, number and title."""

    slug: str
    number: int
    title: str


STEPS = (
    Step(PRODUCT, 1, "Product"),
    Step(MAIN, 2, "Main applicant"),
    Step(JOINT, 3, "Joint applicant"),
    Step(INTRODUCER, 4, "Introducer"),
    Step(ADVISER, 5, "Adviser & status"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}

PRODUCT_CHOICES = [
    (AdviceKind.MORTGAGE.value, _("Mortgages")),
    (AdviceKind.PROTECTION.value, _("Protection")),
]
NONE = ("", _("None"))
MAX_PHONE_DIGITS = 15
MIN_PHONE_DIGITS = 10


def _id_field(label: Any, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=required, coerce=int, empty_value=None
    )


class ProductForm(forms.Form):
    """Step 1: Mortgages or Protection, product type, Single or Joint, note."""

    kind = forms.ChoiceField(
        label=_("Product"), choices=PRODUCT_CHOICES, widget=forms.RadioSelect
    )
    mortgage_type = forms.ChoiceField(
        label=_("Mortgage product type"),
        choices=MortgageType.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(
        label=_("Application"),
        choices=ApplicantMode.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    offer_qualified = forms.BooleanField(label=_("Offer Qualified"), required=False)

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        # Choosing the product redraws the step, showing only what applies.
        self.fields["kind"].widget.attrs.update(
            {
                "hx-post": reverse("advice:wizard_step", kwargs={"step": PRODUCT}),
                "hx-vals": '{"action": "refresh"}',
                "hx-target": "#wizard-form",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )

    def clean(self) -> dict[str, Any]:
        """Require a product type for mortgages; refuse Offer Qualified otherwise."""
        data = super().clean() or {}
        if data.get("kind") == AdviceKind.MORTGAGE:
            if not data.get("mortgage_type"):
                self.add_error("mortgage_type", _("Choose Residential or Buy To Let."))
        elif data.get("kind") == AdviceKind.PROTECTION:
            data["mortgage_type"] = ""
            if data.get("offer_qualified"):
                self.add_error(
                    "offer_qualified",
                    _("Offer Qualified applies to mortgage cases only."),
                )
        return data


@dataclass(frozen=True)
class Person:
    """Who the main applicant is, so the joint step can refuse the same person."""

    contact_id: int | None
    email: str
    mobile: str


class ApplicantForm(forms.Form):
    """Steps 2 and 3: an existing client from the picker or a new client (E3, E4)."""

    EXISTING, NEW = "existing", "new"

    choice = forms.ChoiceField(
        label=_("Client"),
        choices=[(EXISTING, _("Existing client")), (NEW, _("New client"))],
        widget=forms.RadioSelect,
        initial=EXISTING,
    )
    contact = forms.CharField(required=False, widget=forms.HiddenInput)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=80)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=80)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    mobile = forms.CharField(label=_("Mobile"), required=False, max_length=40)
    confirm_new = forms.BooleanField(
        label=_("This is a different person: create a new client anyway"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        firm: Firm,
        main: Person | None = None,
        known: Contact | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.main = main
        # A client of the firm the caller has already read (the lead's).
        self.known = known
        self.selected: Contact | None = None
        self.duplicates: list[Contact] = []
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["mobile"].widget = forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel"}
        )

    def load_selected(self) -> Contact | None:
        """Return the picked client (posted or initial) if it is one of the firm's."""
        raw = (
            self.data.get(self.add_prefix("contact"))
            if self.is_bound
            else self.initial.get("contact")
        )
        known = self.known
        if (
            known is not None
            and known.firm_id == self.firm.pk
            and parse_id(raw) == known.pk
        ):
            self.selected = known if known.kind == ContactKind.PERSON else None
        else:
            self.selected = contact_selectors.person_picked(firm=self.firm, raw=raw)
        return self.selected

    def clean_mobile(self) -> str:
        value: str = self.cleaned_data["mobile"].strip()
        digits = normalise_phone(value)
        if value and not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
            raise forms.ValidationError(
                _("Enter a mobile number of 10 to 15 digits, e.g. 07700 900123.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        """Resolve the picked client or check the new one; refuse the same person."""
        data = super().clean() or {}
        if data.get("choice") == self.EXISTING:
            self._clean_existing(data)
        elif data.get("choice") == self.NEW:
            self._clean_new(data)
        return data

    def _clean_existing(self, data: dict[str, Any]) -> None:
        contact = self.selected or self.load_selected()
        if contact is None:
            self.add_error("contact", _("Search for the client and choose one."))
            return
        data["contact"] = contact
        main = self.main
        if main is not None and (
            contact.pk == main.contact_id
            or (main.email and contact.email_norm == main.email)
            or (main.mobile and contact.mobile_norm == main.mobile)
        ):
            self.add_error("contact", SAME_PERSON)

    def _clean_new(self, data: dict[str, Any]) -> None:
        data["contact"] = None
        for name in ("first_name", "last_name"):
            if not data.get(name, "").strip() and name not in self.errors:
                self.add_error(name, _("This field is required."))
        email = normalise_email(data.get("email") or "")
        mobile = normalise_phone(data.get("mobile") or "")
        if not (email or mobile) and not {"email", "mobile"} & set(self.errors):
            self.add_error("email", _("Enter an e-mail address or a mobile number."))
            return
        main = self.main
        if main is not None and (
            (email and email == main.email) or (mobile and mobile == main.mobile)
        ):
            self.add_error("email" if email == main.email else "mobile", SAME_PERSON)
            return
        if self.errors:
            return
        self.duplicates = contact_services.find_duplicates(
            firm=self.firm, email=email, mobile=mobile
        )
        holder = next((c for c in self.duplicates if email == c.email_norm), None)
        if holder is not None and data.get("confirm_new"):
            # A different person may share a mobile, never an e-mail (A10).
            self.add_error("email", contact_services.EmailTaken(holder).message)
        elif self.duplicates and not data.get("confirm_new"):
            self.add_error(
                None,
                _(
                    "A client with this e-mail or mobile already exists. Use the "
                    "existing client, or confirm that this is a different person."
                ),
            )

    def person(self) -> Person:
        """Return who this applicant is (after a successful ``is_valid()``)."""
        contact = self.cleaned_data.get("contact")
        if contact is not None:
            return Person(contact.pk, contact.email_norm, contact.mobile_norm)
        return Person(
            None,
            normalise_email(self.cleaned_data.get("email") or ""),
            normalise_phone(self.cleaned_data.get("mobile") or ""),
        )

    def new_client_fields(self) -> dict[str, Any]:
        """Return the fields for ``contact_create`` of a new client."""
        data = self.cleaned_data
        return {
            "kind": ContactKind.PERSON,
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data.get("email") or "",
            "mobile": data.get("mobile") or "",
        }


SAME_PERSON = _(
    "The joint applicant must be a different person from the main applicant."
)


class IntroducerForm(forms.Form):
    """Step 4: introducer, then its branch, then its negotiator; all optional (E5)."""

    introducer = _id_field(_("Introducer"))
    introducer_branch = _id_field(_("Branch"))
    negotiator = _id_field(_("Negotiator"))

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        introducer_id = self._chosen("introducer")
        branch_id = self._chosen("introducer_branch")
        branches = (
            firm_selectors.introducer_branch_choices(
                firm=firm, introducer_id=introducer_id
            )
            if introducer_id
            else []
        )
        negotiators = (
            firm_selectors.negotiator_choices(firm=firm, introducer_branch_id=branch_id)
            if branch_id and branches
            else []
        )
        fields = self.fields
        fields["introducer"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
            NONE,
            *firm_selectors.introducer_choices(firm=firm),
        ]
        fields["introducer_branch"].choices = [NONE, *branches]  # type: ignore[attr-defined]  # TypedChoiceField
        fields["negotiator"].choices = [NONE, *negotiators]  # type: ignore[attr-defined]  # TypedChoiceField
        fields["introducer"].widget.attrs.update(
            {
                "hx-get": reverse("firms:introducer_branch_options"),
                "hx-target": "#id_introducer_branch",
                "hx-trigger": "change",
            }
        )
        fields["introducer_branch"].widget.attrs.update(
            {
                "hx-get": reverse("firms:negotiator_options"),
                "hx-target": "#id_negotiator",
                "hx-trigger": "change",
            }
        )

    def _chosen(self, name: str) -> int | None:
        value = (
            self.data.get(self.add_prefix(name))
            if self.is_bound
            else self.initial.get(name)
        )
        return parse_id(value)

    def clean(self) -> dict[str, Any]:
        """Turn the ids into the firm's rows; the choices already keep the chain."""
        data = super().clean() or {}
        firm = self.firm
        try:
            if data.get("introducer"):
                data["introducer"] = firm_selectors.introducer_get(
                    firm=firm, introducer_id=data["introducer"]
                )
            if data.get("introducer_branch"):
                data["introducer_branch"] = firm_selectors.introducer_branch_get(
                    firm=firm, introducer_branch_id=data["introducer_branch"]
                )
            if data.get("negotiator"):
                data["negotiator"] = firm_selectors.negotiator_get(
                    firm=firm, negotiator_id=data["negotiator"]
                )
        except NotFound:
            self.add_error(None, _("Choose one of the options."))
        return data


class AdviserForm(forms.Form):
    """Step 5: the adviser, the starting status and an optional follow-up (E6)."""

    owner = _id_field(_("Adviser"), required=True)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in WIZARD_START_STATUSES],
        initial=AdviceStatus.NEW_LEAD,
        widget=forms.RadioSelect,
    )
    follow_up_date = forms.DateField(
        label=_("Follow-up date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, firm: Firm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.fields["owner"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
            ("", _("Choose an adviser")),
            *firm_selectors.member_choices(firm=firm, owners_only=True),
        ]

    def clean_follow_up_date(self) -> date | None:
        value: date | None = self.cleaned_data["follow_up_date"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return value

    def clean(self) -> dict[str, Any]:
        """Turn the adviser's id into the member's user."""
        data = super().clean() or {}
        if data.get("owner"):
            try:
                data["owner"] = lead_selectors.adviser_get(
                    firm=self.firm, user_id=data["owner"]
                )
            except NotFound:
                self.add_error("owner", _("Choose one of the options."))
        return data


FORMS: dict[str, type[forms.Form]] = {
    PRODUCT: ProductForm,
    MAIN: ApplicantForm,
    JOINT: ApplicantForm,
    INTRODUCER: IntroducerForm,
    ADVISER: AdviserForm,
}


def raw_values(form_class: type[forms.Form], data: Any) -> dict[str, str]:
    """Return what was on the page for ``form_class``'s fields, as strings.

    Unticked checkboxes are left out, as a browser leaves them out.
    """
    values = {}
    for name in form_class.base_fields:
        value = data.get(name)
        if value is not None:
            # PostgreSQL's JSON cannot hold NUL characters.
            values[name] = str(value).replace("\x00", "")[:2000]
    return values
