"""Forms for the firm's reference lists: branches, introducers and lookups (A5)."""

from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


def _phone() -> forms.CharField:
    return forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


def _email() -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ReferenceForm(forms.Form):
    """Base for the forms here: fills itself from the row it edits."""

    @classmethod
    def initial_for(cls, obj: Model) -> dict[str, Any]:
        """Return the form's initial data from ``obj``."""
        return {name: getattr(obj, name) for name in cls.base_fields}


class BranchForm(ReferenceForm):
    """One of the firm's own offices."""

    name = forms.CharField(label=_("Branch name"), max_length=120)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = _phone()


class IntroducerForm(ReferenceForm):
    """An introducer firm, such as an estate agent."""

    name = forms.CharField(label=_("Introducer name"), max_length=120)
    email = _email()
    phone = _phone()


class IntroducerBranchForm(ReferenceForm):
    """A branch of an introducer firm."""

    name = forms.CharField(label=_("Branch name"), max_length=120)
    phone = _phone()


class NegotiatorForm(ReferenceForm):
    """A person at an introducer's branch."""

    name = forms.CharField(label=_("Negotiator name"), max_length=120)
    email = _email()
    phone = _phone()


class NamedLookupForm(ReferenceForm):
    """The name of an interaction type or a task category."""

    name = forms.CharField(label=_("Name"), max_length=60)

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = label


def active_flag(data: QueryDict) -> bool:
    """Return the ``active`` field of an archive/restore POST ("1" or "0")."""
    value = data.get("active")
    if value not in {"0", "1"}:
        msg = "The active field must be 1 or 0."
        raise BadRequest(msg)
    return value == "1"
