"""Typed form fields shared by every app's forms and list filters.

Each field refuses junk the same way everywhere: a bad id, a date that is not
a date or a phone number that is not a UK one is a field error, never a 500.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.core.http import parse_id
from crm.core.phone import is_uk_phone

DATE_INPUT_FORMAT = "%Y-%m-%d"


def _clean_text(value: Any) -> str:
    """Return ``value`` as text, refusing NUL bytes (PostgreSQL rejects them)."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise ValidationError(_("Enter a valid value."), code="invalid")
    return text.strip()


class DateInput(forms.DateInput):
    """The browser's date picker, sending and showing ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATE_INPUT_FORMAT)


class DateField(forms.DateField):
    """An ISO date typed into the browser's date picker.

    Refuses NUL bytes and out-of-range years as a field error.
    """

    widget = DateInput
    input_formats = [DATE_INPUT_FORMAT]

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return super().to_python(value)
        text = _clean_text(value)
        if not text:
            return None
        try:
            return super().to_python(text)
        except OverflowError as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from exc


class IdField(forms.CharField):
    """A database id: positive ASCII digits that fit a 64-bit key, else an error."""

    default_error_messages = {"invalid": _("Choose a valid record.")}

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]  # int, not str
        text = _clean_text(value)
        if not text:
            return None
        number = parse_id(text)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdChoiceField(forms.TypedChoiceField):
    """A choice of one of the firm's records by id, cleaned to ``int`` or None.

    The choices come from a selector; an id outside them, a negative, huge or
    non-ASCII id is refused like ``crm.core.http.parse_id`` refuses it.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(coerce=self._to_id, empty_value=None, **kwargs)

    @staticmethod
    def _to_id(value: Any) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_python(self, value: Any) -> str:
        return str(super().to_python(_clean_text(value)))


class UKPhoneField(forms.CharField):
    """A UK phone number, kept as typed but checked against the national form."""

    default_error_messages = {
        "invalid": _("Enter a UK phone number, such as 07700 900123."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")

    def to_python(self, value: Any) -> str:
        text = _clean_text(value)
        if text and not is_uk_phone(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return text


class ChoiceField(forms.ChoiceField):
    """A choice from fixed values; a NUL byte or unknown value is a field error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(_clean_text(value)))


class SearchField(forms.CharField):
    """A search box's text, trimmed, at most 100 characters, without NUL bytes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 100)
        placeholder = kwargs.pop("placeholder", None)
        super().__init__(**kwargs)
        self.widget.input_type = "search"
        if placeholder is not None:
            self.widget.attrs["placeholder"] = placeholder

    def to_python(self, value: Any) -> str:
        return _clean_text(value)
