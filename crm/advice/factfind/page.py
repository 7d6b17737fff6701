"""The Fact Find, Demands & Needs and readiness parts of an advice case's page.

``facts_context`` builds them for the whole page; ``section_context`` one
section, which an htmx save re-renders alone. Both read a ``CaseFacts``
loaded once, so the page's query count does not grow with clients or rows.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models

from crm.advice import completeness, readiness
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND, SectionSpec
from crm.advice.factfind.selectors import CaseFacts
from crm.cases.models import Case, CaseApplicant
from crm.core.links import reverse_ids
from crm.firms.models import Firm


@dataclass
class Missing:
    """A required field a section lacks, and the id of its input."""

    label: str
    anchor: str


@dataclass
class SectionView:
    """What ``advice/_ff_section.html`` shows for one section."""

    spec: SectionSpec
    anchor: str
    action: str
    form: forms.Form
    missing: list[Missing]
    rows: list[models.Model] = field(default_factory=list)
    remove_action: str = ""
    message: str = ""
    alert: str = ""
    open: bool = False
    editable: bool = True

    @property
    def heading_id(self) -> str:
        """Return the id of the section's heading."""
        return f"{self.anchor}-heading"


def _fact_find_section(
    facts: CaseFacts,
    applicant: CaseApplicant,
    key: str,
    *,
    editable: bool,
    form: forms.Form | None = None,
    **state: Any,
) -> SectionView:
    spec = FACT_FIND[key]
    ff = facts.fact_find_of(applicant)
    prefix = f"ff{applicant.pk}"
    missing = [
        Missing(r.label, readiness.field_id(applicant.pk, r.input_name))
        for r in completeness.fact_find_missing(facts.case.kind, key, ff)
    ]
    if spec.has_rows:
        rows = list(getattr(ff, key).all()) if ff.pk is not None else []
        action = reverse_ids(f"advice:fact_find_{key}_add", applicant_id=applicant.pk)
        remove = reverse_ids(
            f"advice:fact_find_{key}_remove", applicant_id=applicant.pk
        )
        form = form or spec.form(id_prefix=prefix, editable=editable)
    else:
        rows, remove = [], ""
        action = reverse_ids(f"advice:fact_find_{key}", applicant_id=applicant.pk)
        form = form or spec.form(
            id_prefix=prefix, editable=editable, initial=spec.form.initial_for(ff)
        )
    return SectionView(
        spec=spec,
        anchor=readiness.section_id(applicant.pk, key),
        action=action,
        form=form,
        missing=missing,
        rows=rows,
        remove_action=remove,
        editable=editable,
        open=bool(missing) or form.is_bound or bool(state),
        **state,
    )


def _dn_section(
    facts: CaseFacts,
    key: str,
    *,
    editable: bool,
    form: forms.Form | None = None,
    **state: Any,
) -> SectionView:
    spec = DEMANDS_NEEDS[key]
    dn = facts.dn()
    missing = [
        Missing(r.label, readiness.field_id(None, r.input_name))
        for r in completeness.demands_needs_missing(facts.case.kind, key, dn)
    ]
    form = form or spec.form(
        id_prefix="dn", editable=editable, initial=spec.form.initial_for(dn)
    )
    return SectionView(
        spec=spec,
        anchor=readiness.section_id(None, key),
        action=reverse_ids(f"advice:demands_needs_{key}", case_id=facts.case.pk),
        form=form,
        missing=missing,
        editable=editable,
        open=bool(missing) or form.is_bound or bool(state),
        **state,
    )


def section_context(
    facts: CaseFacts,
    key: str,
    *,
    applicant: CaseApplicant | None,
    editable: bool,
    form: forms.Form | None = None,
    **state: Any,
) -> SectionView:
    """Return one section: a client's Fact Find section, or (no applicant) D&N's."""
    if applicant is None:
        return _dn_section(facts, key, editable=editable, form=form, **state)
    return _fact_find_section(
        facts, applicant, key, editable=editable, form=form, **state
    )


def facts_context(
    *,
    firm: Firm,
    case: Case,
    facts: CaseFacts,
    editable: bool,
    bound: tuple[int | None, str, forms.Form] | None = None,
) -> dict[str, Any]:
    """Return the page's Fact Find blocks, D&N sections and readiness.

    ``bound`` is ``(applicant id or None, section, form)`` of a refused save
    without JavaScript, shown with what was typed and its errors.
    """

    def one(applicant: CaseApplicant | None, key: str) -> SectionView:
        owner = applicant.pk if applicant is not None else None
        form = bound[2] if bound and bound[:2] == (owner, key) else None
        return section_context(
            facts, key, applicant=applicant, editable=editable, form=form
        )

    blocks = [
        {
            "applicant": applicant,
            "sections": [
                one(applicant, key)
                for key in completeness.fact_find_sections(case.kind)
            ],
        }
        for applicant in facts.applicants
    ]
    return {
        "fact_find_blocks": blocks,
        "dn_sections": [
            one(None, key) for key in completeness.demands_needs_sections(case.kind)
        ],
        "blockers": readiness.blockers_of(firm=firm, case=case, facts=facts),
    }
