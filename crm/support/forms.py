"""Forms for support cases: list filters, Create case, Edit, close, reopen, concern.

Choices of related rows come from selectors, so only the firm's own members,
contacts and pathways are offered. The forms only parse input; the support
services do every write and have the last word on every rule.
"""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.cases.models import Case
from crm.contacts import selectors as contact_selectors
from crm.contacts import services as contact_services
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.contacts.normalise import normalise_email, normalise_phone
from crm.core.concurrency import OnceTokenField, VersionField
from crm.core.exceptions import NotFound
from crm.core.http import parse_id
from crm.firms.models import Firm, User
from crm.leads import selectors as lead_selectors
from crm.support import selectors
from crm.support.choices import ConcernLevel, Duration, OpenWorkChoice
from crm.support.models import Pathway
from crm.support.services import BENEFICIARY_FIXED, SupportCaseData
from crm.support.services.cases import REASON_MAX

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PHONE_DIGITS = 15


def _id_field(label: Any, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=required, coerce=int, empty_value=None
    )


def _pathways(firm: Firm, current_id: int | None) -> dict[int, Pathway]:
    return {
        p.pk: p for p in selectors.pathway_choices(firm=firm, current_id=current_id)
    }


def _reason(label: Any, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
    )


class SupportCaseForm(forms.Form):
    """What Create case and Edit share: everything but the beneficiary (I1, I2)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    case_manager = _id_field(_("Case manager"), required=True)
    start_date = forms.DateField(
        label=_("Start date"), required=False, widget=DATE_INPUT
    )
    duration = forms.ChoiceField(
        label=_("Duration"),
        choices=Duration.choices,
        initial=Duration.OPEN_ENDED,
        widget=forms.RadioSelect,
    )
    expected_end_date = forms.DateField(
        label=_("Expected end date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Needed when the duration is Fixed; not before the start date."),
    )
    pathway = _id_field(_("Pathway"))
    note = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Any initial context or background."),
    )

    def __init__(
        self,
        *args: Any,
        firm: Firm,
        owners: list[tuple[int, str]],
        current: Case | None = None,
        current_pathway_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.current = current
        self.fields["case_manager"].error_messages["required"] = _(
            "Choose a case manager."
        )
        choices: list[tuple[Any, Any]] = [("", _("Choose…")), *owners]
        if current is not None and current.owner_id not in (None, *dict(owners)):
            choices.append(
                (current.owner_id, _("%(name)s (left)") % {"name": current.owner})
            )
        self.fields["case_manager"].choices = choices  # type: ignore[attr-defined]  # TypedChoiceField
        self.pathways = _pathways(firm, current_pathway_id)
        if self.pathways:
            self.fields["pathway"].choices = [  # type: ignore[attr-defined]  # TypedChoiceField
                ("", _("No pathway")),
                *((pk, p.name) for pk, p in self.pathways.items()),
            ]
        else:
            del self.fields["pathway"]

    def clean_case_manager(self) -> User | None:
        user_id = self.cleaned_data.get("case_manager")
        if user_id is None:
            return None
        current = self.current
        if current is not None and user_id == current.owner_id:
            return current.owner
        try:
            return lead_selectors.adviser_get(firm=self.firm, user_id=user_id)
        except NotFound as exc:
            raise forms.ValidationError(_("Choose a member of this firm.")) from exc

    def clean_pathway(self) -> Pathway | None:
        pathway_id = self.cleaned_data.get("pathway")
        return self.pathways.get(pathway_id) if pathway_id is not None else None

    def to_data(self) -> SupportCaseData:
        """Return the cleaned data as the services' input."""
        data = self.cleaned_data
        return SupportCaseData(
            title=data["title"],
            case_manager=data["case_manager"],
            start_date=data.get("start_date"),
            duration=data["duration"],
            expected_end_date=data.get("expected_end_date"),
            pathway=data.get("pathway"),
            note=data.get("note", ""),
        )


class SupportCaseCreateForm(SupportCaseForm):
    """Create case: the shared fields plus the beneficiary and concern level (I1).

    The beneficiary is a contact picked from the firm's contacts, or a new
    person typed in; a new person whose e-mail or phone matches a contact is
    held back until the user picks that contact or confirms a new one.
    """

    EXISTING, NEW = "existing", "new"

    beneficiary_mode = forms.ChoiceField(
        label=_("Beneficiary"),
        choices=[(EXISTING, _("Existing contact")), (NEW, _("New contact"))],
        initial=EXISTING,
        widget=forms.RadioSelect,
    )
    beneficiary = forms.CharField(required=False, widget=forms.HiddenInput)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=80)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=80)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    mobile = forms.CharField(label=_("Phone"), required=False, max_length=40)
    confirm_new = forms.BooleanField(
        label=_("This is a different person: create a new contact anyway"),
        required=False,
    )
    concern_level = forms.ChoiceField(
        label=_("Concern level"),
        choices=ConcernLevel.choices,
        initial=ConcernLevel.LOW,
        widget=forms.RadioSelect,
    )
    once = OnceTokenField()

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        use_contact = parse_id(data.get("use_contact")) if data is not None else None
        if data is not None and use_contact is not None:
            data = data.copy()
            data["beneficiary_mode"] = self.EXISTING
            data["beneficiary"] = str(use_contact)
        super().__init__(data, **kwargs)
        self.selected: Contact | None = None
        self.duplicates: list[Contact] = []
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["mobile"].widget = forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off"}
        )
        self.fields["start_date"].initial = timezone.localdate

    def load_selected(self) -> Contact | None:
        """Return the picked person (posted or pre-filled) if one of the firm's."""
        raw = self.data.get("beneficiary") if self.is_bound else None
        if raw is None:
            raw = self.initial.get("beneficiary")
        self.selected = contact_selectors.person_picked(firm=self.firm, raw=raw)
        return self.selected

    def clean_mobile(self) -> str:
        value: str = self.cleaned_data["mobile"].strip()
        if len(normalise_phone(value)) > MAX_PHONE_DIGITS:
            raise forms.ValidationError(_("Enter a phone number of at most 15 digits."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("beneficiary_mode") == self.NEW:
            self._clean_new(data)
        else:
            contact = self.selected or self.load_selected()
            if contact is None:
                self.add_error(
                    "beneficiary", _("Search for the beneficiary and choose them.")
                )
            data["beneficiary"] = contact
        return data

    def _clean_new(self, data: dict[str, Any]) -> None:
        data["beneficiary"] = None
        first, last = data.get("first_name", ""), data.get("last_name", "")
        if not (first.strip() or last.strip()) and "first_name" not in self.errors:
            self.add_error("first_name", _("Enter a first or last name."))
        if self.errors:
            return
        email = normalise_email(data.get("email") or "")
        self.duplicates = contact_services.find_duplicates(
            firm=self.firm, email=email, mobile=data.get("mobile") or ""
        )
        holder = next((c for c in self.duplicates if email == c.email_norm), None)
        if holder is not None and data.get("confirm_new"):
            # A different person may share a phone, never an e-mail (A10).
            self.add_error("email", contact_services.EmailTaken(holder).message)
        elif self.duplicates and not data.get("confirm_new"):
            self.add_error(
                None,
                _(
                    "A contact with this e-mail or phone already exists. Use the "
                    "existing contact, or confirm that this is a different person."
                ),
            )

    def new_contact_fields(self) -> dict[str, Any] | None:
        """Return ``contact_create``'s fields for a new person, or None."""
        data = self.cleaned_data
        if data.get("beneficiary_mode") != self.NEW:
            return None
        return {
            "kind": ContactKind.PERSON,
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data.get("email") or "",
            "mobile": data.get("mobile") or "",
        }


class SupportCaseEditForm(SupportCaseForm):
    """Edit: the shared fields; a posted beneficiary is kept to be refused (I2)."""

    version = VersionField()

    def __init__(self, *args: Any, beneficiary: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary
        self.forged: Contact | None = None

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        """Return the form's initial data from the case and its support details."""
        details = case.support
        return {
            "title": case.title,
            "case_manager": case.owner_id,
            "start_date": details.start_date,
            "duration": details.duration,
            "expected_end_date": details.expected_end_date,
            "pathway": details.pathway_id,
            "note": case.note,
            "version": case.version,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("beneficiary", "contact"):
            raw = self.data.get(name)
            if raw in (None, "") or raw == str(self.beneficiary.pk):
                continue
            contact_id = parse_id(raw)
            try:
                if contact_id is None:
                    raise NotFound
                self.forged = contact_selectors.contact_get(
                    firm=self.firm, contact_id=contact_id
                )
            except NotFound:
                self.add_error(None, BENEFICIARY_FIXED)
        return data


class CloseForm(forms.Form):
    """Closing a support case: an optional reason (I3).

    With ``open_work`` (the case's open tasks or planned support) the form
    also asks what to do with them; nothing is left open silently.
    """

    reason = _reason(_("Reason (optional)"), required=False)
    open_work = forms.ChoiceField(
        label=_("What should happen to them?"),
        choices=OpenWorkChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens to the open work.")},
    )

    def __init__(self, *args: Any, open_work: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not open_work:
            del self.fields["open_work"]


class ReopenForm(forms.Form):
    """Reopening a closed support case: a reason is required (I3)."""

    reason = _reason(_("Why is the case being reopened?"), required=True)


class ConcernForm(forms.Form):
    """A new concern level and why it changes (I9)."""

    level = forms.ChoiceField(
        label=_("Concern level"), choices=ConcernLevel.choices, widget=forms.RadioSelect
    )
    reason = _reason(_("Why is the concern level changing?"), required=True)


class PathwayForm(forms.Form):
    """The name of a support pathway (Pathways settings, I9)."""

    name = forms.CharField(label=_("Pathway name"), max_length=60)
