"""The Fact Find, Demands & Needs and readiness parts of an advice case's page.

``facts_context`` builds them for the whole page; ``section_context`` one
section, which an htmx save re-renders alone. Both read a ``CaseFacts``
loaded once, so the page's query count does not grow with clients or rows.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.db import models
from django.utils.safestring import SafeString

from crm.advice import completeness, readiness
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND, SectionSpec
from crm.advice.factfind.selectors import CaseFacts
from crm.cases.models import Case, CaseApplicant
from crm.core import formdraw
from crm.core.links import reverse_ids
from crm.firms.models import Firm


@dataclass
class Missing:
    """A required field a section lacks, and the id of its input."""

    label: str
    anchor: str


@dataclass
class SectionView:
    """What ``advice/_ff_section.html`` shows for one section.

    Its form is ``bound`` (a refused save, drawn with what was typed and its
    errors) or else the section's form made from ``prefix`` and ``initial``
    only when asked for: the page draws it by ``form_html``.
    """

    spec: SectionSpec
    anchor: str
    action: str
    prefix: str
    missing: list[Missing]
    initial: dict[str, Any] = field(default_factory=dict)
    bound: forms.Form | None = None
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

    @cached_property
    def form(self) -> forms.Form:
        """Return the section's form: the refused one, or a new unbound one."""
        if self.bound is not None:
            return self.bound
        return self.spec.form(
            id_prefix=self.prefix, editable=self.editable, initial=self.initial
        )

    def form_html(self) -> SafeString:
        """Return ``str(self.form)``, an unbound form drawn from the memo."""
        if self.bound is not None:
            return SafeString(str(self.bound))
        return formdraw.form_html(
            self.spec.form,
            prefix=self.prefix,
            initial=self.initial,
            editable=self.editable,
        )


def _is_bound(form: forms.Form | None) -> bool:
    return form is not None and form.is_bound


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
    initial: dict[str, Any] = {}
    if spec.has_rows:
        rows = list(getattr(ff, key).all()) if ff.pk is not None else []
        action = reverse_ids(f"advice:fact_find_{key}_add", applicant_id=applicant.pk)
        remove = reverse_ids(
            f"advice:fact_find_{key}_remove", applicant_id=applicant.pk
        )
    else:
        rows, remove = [], ""
        action = reverse_ids(f"advice:fact_find_{key}", applicant_id=applicant.pk)
        initial = spec.form.initial_for(ff)
    return SectionView(
        spec=spec,
        anchor=readiness.section_id(applicant.pk, key),
        action=action,
        prefix=prefix,
        missing=missing,
        initial=initial,
        bound=form,
        rows=rows,
        remove_action=remove,
        editable=editable,
        open=bool(missing) or _is_bound(form) or bool(state),
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
    return SectionView(
        spec=spec,
        anchor=readiness.section_id(None, key),
        action=reverse_ids(f"advice:demands_needs_{key}", case_id=facts.case.pk),
        prefix="dn",
        missing=missing,
        initial=spec.form.initial_for(dn),
        bound=form,
        editable=editable,
        open=bool(missing) or _is_bound(form) or bool(state),
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
