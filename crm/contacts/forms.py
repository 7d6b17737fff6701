"""Forms for people and organisations (B1) and the contact list filters."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.contacts.choices import ContactKind, ContactTitle
from crm.contacts.models import Contact
from crm.core.concurrency import OnceTokenField, VersionField
from crm.core.http import parse_id

NOT_FIELDS = frozenset({"allow_duplicate", "version", "once"})

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    """A person's details."""

    title = forms.ChoiceField(
        label=_("Title"), choices=[("", "—"), *ContactTitle.choices], required=False
    )
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    preferred_name = forms.CharField(
        label=_("Preferred name"), max_length=80, required=False
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    other_phone = forms.CharField(
        label=_("Other phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE
    )
    organisation = forms.CharField(
        label=_("Works at (organisation)"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("For example, a GP at a surgery."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=80, required=False)
    address_line1 = forms.CharField(
        label=_("Address line 1"), max_length=120, required=False
    )
    address_line2 = forms.CharField(
        label=_("Address line 2"), max_length=120, required=False
    )
    town = forms.CharField(label=_("Town or city"), max_length=80, required=False)
    county = forms.CharField(label=_("County"), max_length=80, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    marketing_consent = forms.BooleanField(
        label=_("Agrees to marketing contact"), required=False
    )
    address_unsafe = forms.BooleanField(
        label=_("Address: not safe to contact"),
        required=False,
        help_text=_("Kept out of exports and letters, with a warning where shown."),
    )
    address_unsafe_reason = forms.CharField(
        label=_("Why the address is not safe"), max_length=200, required=False
    )
    phone_unsafe = forms.BooleanField(
        label=_("Phones: not safe to contact"),
        required=False,
        help_text=_("Kept out of exports, with a warning where shown."),
    )
    phone_unsafe_reason = forms.CharField(
        label=_("Why the phones are not safe"), max_length=200, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    allow_duplicate = forms.BooleanField(
        label=_("Yes, create a separate record anyway"),
        required=False,
        widget=forms.HiddenInput,
    )
    # An edit carries the version it was opened on, a new contact a one-time
    # token (A10); neither is a contact field.
    version = VersionField()
    once = OnceTokenField()

    kind = ContactKind.PERSON

    def __init__(
        self,
        *args: Any,
        organisation_lookup: Callable[[int], Contact | None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_lookup = organisation_lookup

    def clean_organisation(self) -> Contact | None:
        """Return the chosen organisation, found in this firm only."""
        raw = self.cleaned_data.get("organisation") or ""
        if not raw:
            return None
        org_id = parse_id(raw)
        found = None
        if org_id is not None and self.organisation_lookup is not None:
            found = self.organisation_lookup(org_id)
        if found is None:
            raise forms.ValidationError(_("Choose an organisation from the list."))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("first_name") or data.get("last_name")):
            self.add_error("first_name", _("Enter a first or last name."))
        return data

    def contact_fields(self) -> dict[str, Any]:
        """Return the cleaned data the contact services take."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in NOT_FIELDS}
        data["kind"] = self.kind
        return data

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, Any]:
        """Return the form's initial data from ``contact``."""
        initial = {
            name: getattr(contact, name)
            for name in cls.base_fields
            if name not in {*NOT_FIELDS, "organisation"}
        }
        initial["version"] = contact.version
        if "organisation" in cls.base_fields:
            initial["organisation"] = contact.organisation_id or ""
        return initial


class OrganisationForm(PersonForm):
    """An organisation's details."""

    kind = ContactKind.ORGANISATION

    organisation_name = forms.CharField(label=_("Organisation name"), max_length=160)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    other_phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    title = None  # type: ignore[assignment]  # remove a person-only field
    first_name = None  # type: ignore[assignment]  # remove a person-only field
    last_name = None  # type: ignore[assignment]  # remove a person-only field
    preferred_name = None  # type: ignore[assignment]  # remove a person-only field
    mobile = None  # type: ignore[assignment]  # remove a person-only field
    date_of_birth = None  # type: ignore[assignment]  # remove a person-only field
    organisation = None  # type: ignore[assignment]  # remove a person-only field
    job_title = None  # type: ignore[assignment]  # remove a person-only field
    marketing_consent = None  # type: ignore[assignment]  # remove a person-only field
    address_unsafe = None  # type: ignore[assignment]  # remove a person-only field
    address_unsafe_reason = None  # type: ignore[assignment]  # remove a person-only field
    phone_unsafe = None  # type: ignore[assignment]  # remove a person-only field
    phone_unsafe_reason = None  # type: ignore[assignment]  # remove a person-only field

    field_order = ["organisation_name", "email", "other_phone"]

    def clean(self) -> dict[str, Any]:
        return forms.Form.clean(self) or {}
