"""The sections of the Fact Find and the Demands & Needs, as data.

A section is either a set of fields on the parent row (``form``) or a list
of child rows with an add form (``model``). Views, services, templates and
completeness all read this table, so adding a section is one entry here and
its rules in ``crm.advice.completeness``.
"""

from dataclasses import dataclass

from django.db import models

from crm.advice.factfind import forms
from crm.advice.factfind.models import (
    FactFindAddress,
    FactFindCommitment,
    FactFindPolicy,
)


@dataclass(frozen=True)
class SectionSpec:
    """One section: its key, title and form, and for row sections the model."""

    key: str
    title: str
    form: type[forms.SectionForm]
    model: type[models.Model] | None = None
    noun: str = ""
    intro: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        """Return the names of the section's fields."""
        return tuple(self.form.base_fields)

    @property
    def has_rows(self) -> bool:
        """Return whether the section is a list of child rows."""
        return self.model is not None


FACT_FIND: dict[str, SectionSpec] = {
    s.key: s
    for s in (
        SectionSpec(
            "personal",
            "Personal details",
            forms.PersonalForm,
            intro="Title and names come from the client record.",
        ),
        SectionSpec(
            "addresses",
            "Addresses",
            forms.AddressForm,
            model=FactFindAddress,
            noun="address",
            intro="Every address in the last three years, the current one first.",
        ),
        SectionSpec("employment", "Employment", forms.EmploymentForm),
        SectionSpec("income", "Income", forms.IncomeForm),
        SectionSpec(
            "commitments",
            "Outgoings and credit commitments",
            forms.CommitmentForm,
            model=FactFindCommitment,
            noun="commitment",
        ),
        SectionSpec("health", "Health and smoking", forms.HealthForm),
        SectionSpec(
            "policies",
            "Existing policies",
            forms.PolicyForm,
            model=FactFindPolicy,
            noun="policy",
        ),
    )
}
ROW_SECTIONS = tuple(k for k, s in FACT_FIND.items() if s.has_rows)
FIELD_SECTIONS = tuple(k for k, s in FACT_FIND.items() if not s.has_rows)

DEMANDS_NEEDS: dict[str, SectionSpec] = {
    s.key: s
    for s in (
        SectionSpec("mortgage", "Mortgage needs", forms.DNMortgageForm),
        SectionSpec("protection", "Protection needs", forms.DNProtectionForm),
        SectionSpec("advice", "Adviser notes and recommendation", forms.DNAdviceForm),
    )
}
