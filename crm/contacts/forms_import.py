"""Input of the CSV import: the upload form, the mapping form and row cleaning (B5).

``ImportRow`` is the form of one CSV row: it turns the row's strings into
contact field values, or says in words why it cannot. It is a plain class
rather than a Django form because the import cleans hundreds of thousands of
rows. The import services decide what a usable file and mapping are, and
their errors land on these forms.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.contacts.choices import ContactKind, ContactTitle, DuplicateMode
from crm.contacts.models import Contact
from crm.contacts.normalise import fold, normalise_email, normalise_phone

# Labels of the contact fields a CSV file can fill, in the order of
# ``services.CONTACT_FIELDS`` (a test checks they agree); the organisation a
# person belongs to is a link, not a value in a file.
FIELD_LABELS = {
    "kind": "Person or organisation",
    "title": "Title",
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "organisation_name": "Organisation name",
    "organisation": "Organisation",
    "job_title": "Job title",
    "email": "Email",
    "mobile": "Mobile",
    "other_phone": "Other phone",
    "date_of_birth": "Date of birth",
    "address_line1": "Address line 1",
    "address_line2": "Address line 2",
    "town": "Town",
    "county": "County",
    "postcode": "Postcode",
    "notes": "Notes",
    "marketing_consent": "Marketing consent",
}
IMPORT_FIELDS = tuple(f for f in FIELD_LABELS if f != "organisation")
# Other column names people use, written as ``_key`` reduces them.
SYNONYMS = {
    "kind": "type contacttype contactkind recordtype",
    "title": "salutation honorific prefix",
    "first_name": "forename forenames givenname first fname",
    "last_name": "surname familyname last lname",
    "preferred_name": "knownas nickname",
    "organisation_name": "organisation organization organizationname company "
    "companyname business businessname",
    "job_title": "position role occupation",
    "email": "emailaddress mail",
    "mobile": "mobilephone mobilenumber mobileno mobiletelephone mob cell cellphone",
    "other_phone": "phone phonenumber telephone telephonenumber tel homephone "
    "workphone landline daytimephone",
    "date_of_birth": "dob birthdate birthday born",
    "address_line1": "address address1 street streetaddress line1",
    "address_line2": "address2 line2 locality",
    "town": "city towncity posttown",
    "county": "region state province",
    "postcode": "postalcode zip zipcode",
    "notes": "note comments comment remarks",
    "marketing_consent": "consent optin marketing marketingoptin emailoptin",
}


def _key(header: str) -> str:
    """Return ``header`` lower-cased without accents, spaces or punctuation."""
    return re.sub(r"[^a-z0-9]", "", fold(header))


_GUESSES = {
    key: field
    for field in IMPORT_FIELDS
    for key in (_key(field), _key(FIELD_LABELS[field]), *SYNONYMS[field].split())
}


def guess_mapping(headers: list[str]) -> list[str]:
    """Return the contact field each column most likely holds ("" to ignore).

    A field is guessed for the first column that names it only.
    """
    guesses: list[str] = []
    for header in headers:
        field = _GUESSES.get(_key(header), "")
        guesses.append("" if field in guesses else field)
    return guesses


class ContactImportUploadForm(forms.Form):
    """The CSV file to import."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 CSV (in Excel: Save As, “CSV UTF-8”), at most 20 MB, with "
            "the column names in the first row."
        ),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a CSV file to upload."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )


FIELD_CHOICES = [
    ("", _("Ignore this column")),
    *((field, FIELD_LABELS[field]) for field in IMPORT_FIELDS),
]


class ContactImportMappingForm(forms.Form):
    """One contact field (or Ignore) per CSV column, and the duplicate handling.

    Each column starts at the field its name suggests (``guess_mapping``).
    """

    duplicate_mode = forms.ChoiceField(
        label=_("Rows that match an existing contact by e-mail or mobile"),
        choices=DuplicateMode.choices,
        initial=DuplicateMode.SKIP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, (header, guess) in enumerate(
            zip(headers, guess_mapping(headers), strict=True)
        ):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=FIELD_CHOICES, required=False, initial=guess
            )

    def columns(
        self, preview: list[list[str]]
    ) -> list[tuple[forms.BoundField, list[str]]]:
        """Return each column's select with the column's first non-blank values."""
        return [
            (
                self[f"column_{index}"],
                [row[index] for row in preview if index < len(row) and row[index]][:3],
            )
            for index in range(len(self.headers))
        ]

    def chosen_fields(self) -> list[str]:
        """Return the chosen field for each column, "" for ignored ones."""
        return [
            self.cleaned_data[f"column_{index}"] for index in range(len(self.headers))
        ]


# One row

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_KINDS = {
    "person": ContactKind.PERSON,
    "individual": ContactKind.PERSON,
    "organisation": ContactKind.ORGANISATION,
    "organization": ContactKind.ORGANISATION,
    "org": ContactKind.ORGANISATION,
    "company": ContactKind.ORGANISATION,
    "business": ContactKind.ORGANISATION,
}
_TITLES = {t.casefold(): ContactTitle(t) for t in ContactTitle.values}
_YES = {"yes", "y", "true", "t", "1", "x"}
_NO = {"no", "n", "false", "f", "0"}


def _date(raw: str) -> datetime.date:
    if match := _DMY.fullmatch(raw):
        day, month, year = match.groups()
    elif match := _YMD.fullmatch(raw):
        year, month, day = match.groups()
    else:
        msg = f"“{raw}” is not a date in the form dd/mm/yyyy or yyyy-mm-dd."
        raise ValueError(msg)
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"“{raw}” is not a real date.") from None
    if value > timezone.localdate():
        raise ValueError(f"“{raw}” is in the future.")
    return value


def _choice(table: Mapping[str, str], what: str) -> Callable[[str], str]:
    def clean(raw: str) -> str:
        try:
            return table[raw.rstrip(".").casefold()]
        except KeyError:
            raise ValueError(f"“{raw}” is not {what}.") from None

    return clean


def _yes_no(raw: str) -> bool:
    if raw.casefold() in _YES | _NO:
        return raw.casefold() in _YES
    raise ValueError(f"“{raw}” is not yes or no.")


def _phone(raw: str) -> str:
    digits = normalise_phone(raw)
    if not digits or len(digits) > 20:
        raise ValueError(f"“{raw}” is not a phone number.")
    return raw


_CLEANERS: dict[str, Callable[[str], Any]] = {
    "kind": _choice(_KINDS, "person or organisation"),
    "title": _choice(_TITLES, "a title (" + ", ".join(ContactTitle.values) + ")"),
    "date_of_birth": _date,
    "marketing_consent": _yes_no,
    "email": normalise_email,
    "mobile": _phone,
    "other_phone": _phone,
}


def missing_name(values: Mapping[str, Any]) -> str:
    """Return why a contact with these field values has no usable name, or ""."""
    if values.get("kind") == ContactKind.ORGANISATION:
        return "" if values.get("organisation_name") else "Enter the organisation name."
    if values.get("first_name") or values.get("last_name"):
        return ""
    return "Enter a first or last name."


def new_contact_kind(values: Mapping[str, Any]) -> str:
    """Return the kind of a new contact: as given, else an organisation if only
    an organisation name is filled in, else a person."""
    if kind := values.get("kind"):
        return str(kind)
    named = values.get("first_name") or values.get("last_name")
    if values.get("organisation_name") and not named:
        return ContactKind.ORGANISATION
    return ContactKind.PERSON


NUL = "\x00"
NUL_SHOWN = "\u2400"


@dataclass(frozen=True)
class ImportRow:
    """The file's column names and the contact field each column feeds."""

    headers: list[str]
    fields: list[str]

    def clean(self, cells: list[str]) -> tuple[dict[str, Any], str]:
        """Return the row's non-blank values by field, and why it is refused.

        Checks formats (e-mail, dates, phone numbers, yes/no, title and kind
        from their lists) and the model's field lengths; "" means the row is
        fine. Whether a name is needed depends on what the row does, so the
        run checks that with ``missing_name``.
        """
        values: dict[str, Any] = {}
        problems: list[str] = []
        for index, field in enumerate(self.fields):
            raw = cells[index].strip() if index < len(cells) else ""
            if field and NUL in raw:
                # Not text; PostgreSQL refuses to store it at all.
                problems.append(
                    f"{self.headers[index]}: contains a NUL character (a zero "
                    "byte), which is not text. Remove it and import the row again."
                )
            elif field and raw:
                try:
                    values[field] = _CLEANERS.get(field, str)(raw)
                except ValueError as exc:
                    problems.append(f"{self.headers[index]}: {exc}")
        if not problems:
            unchecked = [f.name for f in Contact._meta.fields if f.name not in values]
            try:
                Contact(**values).clean_fields(exclude=unchecked)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    header = self.headers[self.fields.index(field)]
                    problems.append(f"{header}: {' '.join(messages)}")
        return values, "; ".join(problems)

    def data(self, cells: list[str]) -> dict[str, str]:
        """Return the row as the file had it, by column name.

        A NUL character shows as the symbol "␀", which can be stored.
        """
        return {
            h: cells[i].replace(NUL, NUL_SHOWN) if i < len(cells) else ""
            for i, h in enumerate(self.headers)
        }
