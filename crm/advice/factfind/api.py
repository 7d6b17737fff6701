"""The Fact Find and Demands & Needs API: read a case's, change one section (F1, F2).

Each change is validated by the section's form from the case page and saved
by the same service, so the API and the page take the same values and the
same locks hold (a case's D&N is locked once Concert Hub has the case). A
change is a PATCH of one section: the fields sent replace theirs, the rest
stay. The Fact Find's row sections (addresses, commitments, existing
policies) are read here and changed row by row in ``api_rows``.
"""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.http import HttpRequest
from ninja import Body, Router, Schema

from crm.advice import selectors as advice_selectors
from crm.advice.factfind import selectors, services
from crm.advice.factfind.models import DemandsNeeds, FactFind
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND, SectionSpec
from crm.cases.models import Case, CaseApplicant
from crm.core.api import principal_of, require, require_module, responses
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.permissions import Perm

router = Router(tags=["Fact Find and Demands & Needs"])
FactFindSection = Literal["personal", "employment", "income", "health"]
DemandsNeedsSection = Literal["mortgage", "protection", "advice"]


class FactFindOut(Schema):
    """One client's Fact Find: each field section, and each row section's rows.

    ``sections`` maps a section (``personal``...) to its fields; ``rows``
    maps a row section (``addresses``...) to its rows, each with its ``id``.
    A client with no Fact Find yet has every field null or empty.
    """

    contact_id: int
    display_name: str
    sections: dict[str, dict[str, Any]]
    rows: dict[str, list[dict[str, Any]]]


class DemandsNeedsOut(Schema):
    """A case's Demands & Needs: the parts its kind has, with their fields."""

    case_id: int
    sections: dict[str, dict[str, Any]]


def _case(request: HttpRequest, case_id: int) -> Case:
    """Return the mortgage or protection case ``case_id`` (support cases are 404)."""
    principal = require_module(request, "advice")
    return advice_selectors.advice_case_get(
        firm=principal.firm,
        case_id=case_id,
        principal=principal,
        details=("demands_needs",),  # the Fact Find list reads it (case_facts)
    )


def _values(spec: SectionSpec, obj: Any) -> dict[str, Any]:
    return spec.form.initial_for(obj)


def _fact_find_out(applicant: CaseApplicant, ff: FactFind | None) -> dict[str, Any]:
    shown = ff if ff is not None else FactFind(contact=applicant.contact)
    sections, rows = {}, {}
    for key, spec in FACT_FIND.items():
        if spec.has_rows:
            related = getattr(shown, key).all() if ff is not None else []
            rows[key] = [{"id": r.pk, **_values(spec, r)} for r in related]
        else:
            sections[key] = _values(spec, shown)
    return {
        "contact_id": applicant.contact_id,
        "display_name": applicant.contact.display_name,
        "sections": sections,
        "rows": rows,
    }


def _form_value(field: forms.Field, name: str, value: Any) -> Any:
    """Return a JSON value as the form would get it posted, or refuse it."""
    if value is None:
        return ""
    if isinstance(field, forms.MultipleChoiceField):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
    elif isinstance(field, forms.BooleanField) and isinstance(value, bool):
        return value
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise ApplicationError("This value has the wrong type.", "invalid", {"field": name})


def _form_data(spec: SectionSpec, current: Any, sent: dict[str, Any]) -> Any:
    """Return the section's form data: its current values with ``sent`` over them."""
    unknown = sorted(set(sent) - set(spec.fields))
    if unknown:
        raise ApplicationError(
            f"{spec.title} has no field {unknown[0]!r}.",
            "invalid",
            {"field": unknown[0]},
        )
    fields = spec.form.base_fields
    data: dict[str, Any] = {}
    for name, value in _values(spec, current).items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal | int) and not isinstance(value, bool):
            value = str(value)
        data[name] = "" if value is None else value
    for name, value in sent.items():
        data[name] = _form_value(fields[name], name, value)
    form = spec.form(data, id_prefix="api")
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise ApplicationError(str(errors[0]), "invalid", {"field": name})
    return form.cleaned_data


@router.get(
    "/{int:case_id}/fact-finds",
    operation_id="fact_find_list",
    summary="List the Fact Finds of a case's clients",
    response=responses(200, list[FactFindOut]),
)
def fact_find_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Return each client's Fact Find, the main applicant first."""
    principal = principal_of(request)
    case = _case(request, case_id)
    facts = selectors.case_facts(firm=principal.firm, case=case, joined=True)
    return [
        _fact_find_out(a, facts.fact_finds.get(a.contact_id)) for a in facts.applicants
    ]


@router.patch(
    "/{int:case_id}/fact-finds/{int:contact_id}/{section}",
    operation_id="fact_find_update",
    summary="Change one section of a client's Fact Find",
    response=responses(200, FactFindOut, write=True),
)
def fact_find_update(
    request: HttpRequest,
    case_id: int,
    contact_id: int,
    section: FactFindSection,
    data: Body[dict[str, Any]],
) -> dict[str, Any]:
    """Change the fields sent of one section; the case's history shows it.

    Values are checked as the case page's form checks them (400 naming the
    field); a client who is not on the case is 404.
    """
    principal = require(request, Perm.EDIT_CASES)
    case = _case(request, case_id)
    applicant = next(
        (a for a in case.applicants.all() if a.contact_id == contact_id), None
    )
    if applicant is None:
        raise NotFound
    spec = FACT_FIND[section]
    current = selectors.fact_find_list(firm=principal.firm, contact_ids=[contact_id])
    cleaned = _form_data(spec, current[0] if current else FactFind(), data)
    services.fact_find_update(
        firm=principal.firm,
        actor=principal.user,
        contact=applicant.contact,
        case=case,
        section=section,
        data=cleaned,
    )
    found = selectors.fact_find_list(firm=principal.firm, contact_ids=[contact_id])
    return _fact_find_out(applicant, found[0] if found else None)


def _demands_needs_out(case: Case, dn: DemandsNeeds | None) -> dict[str, Any]:
    shown = dn if dn is not None else DemandsNeeds(case=case)
    return {
        "case_id": case.pk,
        "sections": {
            key: _values(DEMANDS_NEEDS[key], shown)
            for key in services.DN_PARTS.get(case.kind, ())
        },
    }


@router.get(
    "/{int:case_id}/demands-needs",
    operation_id="demands_needs_get",
    summary="Get a case's Demands & Needs",
    response=responses(200, DemandsNeedsOut),
)
def demands_needs_get(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """Return the D&N parts the case's kind has: its own, and the advice part."""
    principal = principal_of(request)
    case = _case(request, case_id)
    return _demands_needs_out(
        case, selectors.demands_needs_get(firm=principal.firm, case=case)
    )


@router.patch(
    "/{int:case_id}/demands-needs/{section}",
    operation_id="demands_needs_update",
    summary="Change one part of a case's Demands & Needs",
    response=responses(200, DemandsNeedsOut, write=True),
)
def demands_needs_update(
    request: HttpRequest,
    case_id: int,
    section: DemandsNeedsSection,
    data: Body[dict[str, Any]],
) -> dict[str, Any]:
    """Change the fields sent of one part (400 for a part the kind lacks).

    409 once Concert Hub has the case (its data is locked).
    """
    principal = require(request, Perm.EDIT_CASES)
    case = _case(request, case_id)
    spec = DEMANDS_NEEDS[section]
    if section not in services.DN_PARTS.get(case.kind, ()):
        raise ApplicationError(
            f"A {case.get_kind_display().lower()} case has no {spec.title.lower()}.",
            "invalid",
            {"field": "section", "location": "path"},
        )
    current = selectors.demands_needs_get(firm=principal.firm, case=case)
    cleaned = _form_data(spec, current or DemandsNeeds(case=case), data)
    services.demands_needs_update(
        firm=principal.firm,
        actor=principal.user,
        case=case,
        section=section,
        data=cleaned,
    )
    return _demands_needs_out(
        case, selectors.demands_needs_get(firm=principal.firm, case=case)
    )
