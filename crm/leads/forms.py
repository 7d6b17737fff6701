"""Forms for leads: the lead's details, list and board filters (C1, C2).

Choices of related rows come from selectors, so only the firm's own (and
active) rows are offered; ``clean()`` turns the chosen ids into rows.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.contacts import selectors as contact_selectors
from crm.core.concurrency import VersionField
from crm.core.exceptions import NotFound
from crm.core.http import parse_id
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.leads import selectors
from crm.leads.choices import LeadSource
from crm.leads.models import Lead

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NONE = ("", _("None"))


def _id_field(
    label: "str | _StrPromise", help_text: "str | _StrPromise" = ""
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, help_text=help_text
    )


def _flat_ids(choices: Any) -> set[str]:
    """Return the values of ``choices``, looking inside option groups."""
    ids: set[str] = set()
    for value, label in choices:
        if isinstance(label, list | tuple):
            ids.update(str(v) for v, _label in label)
        else:
            ids.add(str(value))
    return ids


class LeadDetailsForm(forms.Form):
    """A lead's details: where it came from, who looks after it, when to call."""

    source = forms.ChoiceField(
        label=_("Source"), choices=LeadSource.choices, initial=LeadSource.PHONE
    )
    owner = _id_field(_("Adviser"))
    introducer = _id_field(
        _("Introducer"), _("The estate agent or other firm that referred the client.")
    )
    introducer_branch = _id_field(_("Introducer branch"))
    negotiator = _id_field(_("Negotiator"))
    follow_up_date = forms.DateField(
        label=_("Follow-up date"), required=False, widget=DATE_INPUT
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, firm: Firm, lead: Lead | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.firm = firm
        self.lead = lead
        if lead is not None:
            # An edit carries the version it was opened on (A10).
            self.fields["version"] = VersionField()
        self._set_choices()
        self.fields["introducer"].widget.attrs.update(
            {
                "hx-get": reverse("firms:introducer_branch_options"),
                "hx-target": "#id_introducer_branch",
                "hx-trigger": "change",
            }
        )
        self.fields["introducer_branch"].widget.attrs.update(
            {
                "hx-get": reverse("firms:negotiator_options"),
                "hx-target": "#id_negotiator",
                "hx-trigger": "change",
            }
        )

    @classmethod
    def initial_for(cls, lead: Lead) -> dict[str, Any]:
        """Return the form's initial data from ``lead``."""
        return {
            "source": lead.source,
            "owner": lead.owner_id,
            "introducer": lead.introducer_id,
            "introducer_branch": lead.introducer_branch_id,
            "negotiator": lead.negotiator_id,
            "follow_up_date": lead.follow_up_date,
            "notes": lead.notes,
            "version": lead.version,
        }

    def _chosen(self, name: str) -> int | None:
        """Return the id chosen in field ``name`` (posted or initial), if any."""
        value = (
            self.data.get(self.add_prefix(name))
            if self.is_bound
            else self.initial.get(name)
        )
        return parse_id(value)

    def _set_choices(self) -> None:
        firm = self.firm
        introducer_id = self._chosen("introducer")
        branch_id = self._chosen("introducer_branch")
        branches: Any = (
            firm_selectors.introducer_branch_choices(
                firm=firm, introducer_id=introducer_id
            )
            if introducer_id
            else selectors.introducer_branch_options(firm=firm)
        )
        negotiators: Any = (
            firm_selectors.negotiator_choices(firm=firm, introducer_branch_id=branch_id)
            if branch_id
            else selectors.negotiator_options(firm=firm)
        )
        choices = {
            "owner": [
                ("", _("Unassigned")),
                *firm_selectors.member_choices(firm=firm, owners_only=True),
            ],
            "introducer": [NONE, *firm_selectors.introducer_choices(firm=firm)],
            "introducer_branch": [NONE, *branches],
            "negotiator": [NONE, *negotiators],
        }
        lead = self.lead
        if lead is not None:
            # Keep the lead's current rows on offer even if since archived.
            current = {
                "owner": (lead.owner_id, lead.owner),
                "introducer": (lead.introducer_id, lead.introducer),
                "introducer_branch": (
                    lead.introducer_branch_id,
                    lead.introducer_branch,
                ),
                "negotiator": (lead.negotiator_id, lead.negotiator),
            }
            for name, (pk, obj) in current.items():
                if pk is not None and str(pk) not in _flat_ids(choices[name]):
                    choices[name].append((pk, _("%(name)s (archived)") % {"name": obj}))
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices  # type: ignore[attr-defined]  # TypedChoiceField

    def _resolve(
        self, data: dict[str, Any], name: str, get: Callable[[int], Any]
    ) -> Any:
        pk = data.get(name)
        if pk is None:
            return None
        try:
            return get(pk)
        except NotFound:
            self.add_error(name, _("Choose one of the options."))
            return None

    def clean(self) -> dict[str, Any]:
        """Turn the chosen ids into rows; fill the introducer from the branch."""
        data = super().clean() or {}
        firm = self.firm
        lead = self.lead
        if lead is not None and data.get("owner") == lead.owner_id:
            data["owner"] = lead.owner
        elif data.get("owner") is not None:
            data["owner"] = self._resolve(
                data,
                "owner",
                lambda pk: selectors.adviser_get(firm=firm, user_id=pk),
            )
        negotiator = self._resolve(
            data,
            "negotiator",
            lambda pk: firm_selectors.negotiator_get(firm=firm, negotiator_id=pk),
        )
        branch = self._resolve(
            data,
            "introducer_branch",
            lambda pk: firm_selectors.introducer_branch_get(
                firm=firm, introducer_branch_id=pk
            ),
        )
        introducer = self._resolve(
            data,
            "introducer",
            lambda pk: firm_selectors.introducer_get(firm=firm, introducer_id=pk),
        )
        # Without JavaScript every branch and negotiator is offered; choosing
        # only the narrower one is enough.
        branch = branch or (negotiator.branch if negotiator else None)
        introducer = introducer or (branch.introducer if branch else None)
        data.update(
            {
                "negotiator": negotiator,
                "introducer_branch": branch,
                "introducer": introducer,
            }
        )
        return data


class LeadCreateForm(LeadDetailsForm):
    """A new lead: the client plus the lead's details."""

    contact = forms.IntegerField(
        label=_("Client"),
        min_value=1,
        error_messages={"required": _("Choose the client this lead is for.")},
        widget=forms.NumberInput(attrs={"autocomplete": "off"}),
        help_text=_("The client's record number, shown in the address of their page."),
    )

    field_order = ["contact"]

    def clean_contact(self) -> Any:
        contact_id = self.cleaned_data["contact"]
        try:
            return contact_selectors.contact_get(firm=self.firm, contact_id=contact_id)
        except NotFound as exc:
            raise forms.ValidationError(_("Choose a client of this firm.")) from exc

    @property
    def selected_contact(self) -> Any:
        """Return the client chosen so far (posted and valid, or pre-filled)."""
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("contact")
        return self.initial.get("contact")


class BoardFilterForm(forms.Form):
    """The board's adviser filter and its "recently converted" column toggle."""

    owner = _id_field(_("Adviser"))
    converted = forms.BooleanField(
        label=_("Show recently converted leads"), required=False
    )

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("All advisers")), *owners]  # type: ignore[attr-defined]  # TypedChoiceField
