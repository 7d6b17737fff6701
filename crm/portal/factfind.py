"""The portal's Fact Find page: the client's own sections, in plain words (F4, H3).

The sections, forms and completeness rules are the Fact Find's own
(``crm.advice.factfind.sections``, ``crm.advice.completeness``); this module
only words them for a client and points the forms at the portal's routes.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.urls import reverse

from crm.advice import completeness
from crm.advice.factfind.models import FactFind
from crm.advice.factfind.sections import FACT_FIND, SectionSpec
from crm.portal.models import RequestedAction

PREFIX = "ff"

# What a section is about, for a client (the staff intros talk about records).
INTROS = {
    "personal": "About you and the people who depend on you.",
    "addresses": (
        "Every address you have lived at in the last three years, starting with "
        "where you live now."
    ),
    "employment": "Your work now. If you are self-employed, your latest figures.",
    "income": "What you earn before tax each year, and what you take home a month.",
    "commitments": (
        "Loans, credit cards, car finance and other regular payments. "
        "If you have none, leave this empty."
    ),
    "health": "Your adviser needs this to find you the right cover.",
    "policies": (
        "Life insurance or other cover you already have. If you have none, "
        "leave this empty."
    ),
}
# Plainer words for the completeness rules' labels, where they need it.
CLIENT_LABELS = {
    "address_history": "Your addresses for the last three years, without gaps",
    "dependants": "Number of dependants (enter 0 if none)",
    "dependants_ages": "Ages of your dependants",
    "employment_start": "When you started this work",
    "health_conditions": "Whether you have any health conditions",
    "health_details": "Details of your health conditions",
}


@dataclass
class Gap:
    """A required answer a section lacks, and the id of the input that gives it."""

    label: str
    anchor: str


@dataclass
class ClientSection:
    """What ``portal/_ff_section.html`` shows for one section."""

    spec: SectionSpec
    form: forms.Form
    missing: list[Gap]
    action: str
    remove_action: str = ""
    rows: list[models.Model] = field(default_factory=list)
    editable: bool = True
    required: bool = True
    message: str = ""
    alert: str = ""

    @property
    def key(self) -> str:
        """Return the section's key."""
        return self.spec.key

    @property
    def anchor(self) -> str:
        """Return the id of the section on the page."""
        return f"{PREFIX}-{self.spec.key}"

    @property
    def heading_id(self) -> str:
        """Return the id of the section's heading."""
        return f"{self.anchor}-heading"

    @property
    def add_label(self) -> str:
        """Return the heading of the row section's add form ("Add an address")."""
        noun = self.spec.noun
        if self.rows:
            return f"Add another {noun}"
        return f"Add {'an' if noun[:1] in 'aeiou' else 'a'} {noun}"

    @property
    def intro(self) -> str:
        """Return what the section is about, for a client."""
        return INTROS.get(self.spec.key, "")


def field_id(name: str) -> str:
    """Return the id of a section form's input on the portal page."""
    return f"{PREFIX}_{name}"


def gaps(kind: str, section: str, fact_find: FactFind) -> list[Gap]:
    """Return what ``section`` of the client's Fact Find still needs, in plain words."""
    return [
        Gap(CLIENT_LABELS.get(r.field, r.label), field_id(r.input_name))
        for r in completeness.fact_find_missing(kind, section, fact_find)
    ]


def section_context(
    action: RequestedAction,
    fact_find: FactFind,
    key: str,
    *,
    form: forms.Form | None = None,
    **state: Any,
) -> ClientSection:
    """Return one section of the client's Fact Find for the portal page."""
    spec = FACT_FIND[key]
    editable = action.can_fill_fact_find()
    kwargs = {"action_id": action.pk}
    if spec.has_rows:
        rows = list(getattr(fact_find, key).all()) if fact_find.pk else []
        url = reverse(f"portal:fact_find_{key}_add", kwargs=kwargs)
        remove = reverse(f"portal:fact_find_{key}_remove", kwargs=kwargs)
        form = form or spec.form(id_prefix=PREFIX, editable=editable)
    else:
        rows, remove = [], ""
        url = reverse(f"portal:fact_find_{key}", kwargs=kwargs)
        form = form or spec.form(
            id_prefix=PREFIX,
            editable=editable,
            initial=spec.form.initial_for(fact_find),
        )
    return ClientSection(
        spec=spec,
        form=form,
        missing=gaps(action.case.kind, key, fact_find),
        action=url,
        remove_action=remove,
        rows=rows,
        editable=editable,
        required=bool(completeness.FACT_FIND_RULES[action.case.kind][key]),
        **state,
    )


def page_context(
    *,
    action: RequestedAction,
    fact_find: FactFind,
    bound: tuple[str, forms.Form] | None = None,
) -> dict[str, Any]:
    """Return the portal Fact Find page's sections and what is still needed.

    ``bound`` is ``(section, form)`` of a refused save without JavaScript,
    shown with what was typed and its errors.
    """
    sections = [
        section_context(
            action,
            fact_find,
            key,
            form=bound[1] if bound and bound[0] == key else None,
        )
        for key in completeness.fact_find_sections(action.case.kind)
    ]
    return {
        "action": action,
        "sections": sections,
        "incomplete": [s for s in sections if s.missing],
    }
