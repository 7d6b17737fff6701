"""Writes of the Fact Find and the Demands & Needs (F1, F2, F4).

Every write records one event through ``crm.core.events.record``: a history
entry on the case it was made from (when there is one), an entry on the
client's timeline, and an audit row with the changed fields. ``source``
says who typed the change: ``"staff"`` on the case page, ``"client"`` in the
portal, so the history can mark client-entered changes.
"""

from decimal import Decimal
from typing import Any

from django.db import models, transaction

from crm.advice.choices import AdviceKind
from crm.advice.factfind.choices import (
    ChangeSource,
    FactFindContactEventType,
    FactFindEventType,
)
from crm.advice.factfind.models import DemandsNeeds, FactFind
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND, SectionSpec
from crm.cases import locks
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User

# Which D&N parts a kind of case has (the advice part every case has).
DN_PARTS: dict[str, tuple[str, ...]] = {
    AdviceKind.MORTGAGE: ("mortgage", "advice"),
    AdviceKind.PROTECTION: ("protection", "advice"),
}


def _labelled(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """Return ``changes`` keyed by the fields' labels, for the History card."""
    return {
        str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize(): (
            values
        )
        for name, values in changes.items()
    }


def _check_source(source: str) -> None:
    if source not in ChangeSource.values:
        msg = f"Unknown change source: {source!r}"
        raise ValueError(msg)


def _record(
    *,
    firm: Firm,
    actor: User | None,
    case: Case | None,
    contacts: list[Contact],
    type: str,
    params: dict[str, Any],
    verb: AuditVerb,
    obj: models.Model,
    changes: dict[str, Any],
) -> None:
    summary = str(FactFindEventType(type).label)
    if params.get("section"):
        summary = f"{summary}: {params['section']}"
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=type if case is not None else "",
        params=params,
        verb=verb,
        audit_obj=obj,
        changes=changes,
        timeline=contacts,
        timeline_type=FactFindContactEventType.FACT_FIND,
        timeline_params={
            **{k: v for k, v in params.items() if k != "changes"},
            "case_id": case.pk if case is not None else None,
        },
        summary=summary,
        link=case.get_absolute_url() if case is not None else "",
    )


def _fact_find_for_update(*, firm: Firm, contact: Contact) -> FactFind:
    found = FactFind.objects.select_for_update().filter(firm=firm, contact=contact)
    return found.first() or FactFind(firm=firm, contact=contact)


def _check_case(firm: Firm, case: Case | None, contact: Contact) -> None:
    ensure_same_firm(firm, contact)
    if case is not None:
        ensure_same_firm(firm, case)


def _stored(obj: models.Model, name: str, value: Any) -> Any:
    """Return ``value`` as its column stores it: stripped text, amounts in pence.

    So a value compares equal to the same value read back ("4000" and
    "4000.00"), and an unchanged save records no change.
    """
    if isinstance(value, str):
        return value.strip()
    field = obj._meta.get_field(name)
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _apply(obj: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set ``data`` on ``obj``, validate and save what changed; return the changes.

    A new row is inserted whole; an existing one updates only the changed
    columns. Nothing is saved when nothing changed.
    """
    created = obj.pk is None
    before = events.snapshot(obj, data)
    for name, value in data.items():
        setattr(obj, name, _stored(obj, name, value))
    obj.full_clean(validate_unique=False)
    changes = events.diff(before, obj)
    if changes:
        if created:
            obj.save()
        else:
            stamped = ["updated_at"] if hasattr(obj, "updated_at") else []
            obj.save(update_fields=[*changes, *stamped])
    return changes


@transaction.atomic
def fact_find_update(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    section: str,
    data: dict[str, Any],
    case: Case | None = None,
    source: str = ChangeSource.STAFF,
) -> FactFind:
    """Save one section of ``contact``'s Fact Find; history shows what changed.

    Creates the Fact Find on its first save. ``case`` is the case the change
    was made from (its history gets the entry); ``source="client"`` marks a
    change the client made in the portal.
    """
    _check_case(firm, case, contact)
    _check_source(source)
    spec = FACT_FIND.get(section)
    if spec is None or spec.has_rows:
        msg = f"Unknown Fact Find section: {section!r}"
        raise ValueError(msg)
    unknown = set(data) - set(spec.fields)
    if unknown:
        msg = f"Fields outside section {section}: {sorted(unknown)}"
        raise ValueError(msg)
    fact_find = _fact_find_for_update(firm=firm, contact=contact)
    created = fact_find.pk is None
    changes = _apply(fact_find, data)
    if not changes:
        return fact_find
    _record(
        firm=firm,
        actor=actor,
        case=case,
        contacts=[contact],
        type=FactFindEventType.FACT_FIND_UPDATED,
        params={
            "section": spec.title,
            "client": contact.display_name,
            "source": source,
            "changes": _labelled(FactFind, changes),
        },
        verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
        obj=fact_find,
        changes=changes,
    )
    return fact_find


def _row_spec(section: str) -> tuple[SectionSpec, type[models.Model]]:
    """Return the spec of row section ``section`` and its model; refuse others."""
    spec = FACT_FIND.get(section)
    if spec is None or spec.model is None:
        msg = f"Unknown Fact Find row section: {section!r}"
        raise ValueError(msg)
    return spec, spec.model


def _row_for_update(
    model: type[models.Model], *, firm: Firm, contact: Contact, row_id: int
) -> models.Model:
    """Return the row ``row_id`` of ``contact``'s Fact Find, locked, or refuse it."""
    row = (
        model._default_manager.select_for_update()
        .filter(firm=firm, fact_find__contact=contact, pk=row_id)
        .first()
    )
    if row is None:
        raise ApplicationError(
            "That entry is no longer on this Fact Find.", "not_found"
        )
    return row


@transaction.atomic
def fact_find_row_add(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    section: str,
    data: dict[str, Any],
    case: Case | None = None,
    source: str = ChangeSource.STAFF,
) -> models.Model:
    """Add an address, commitment or existing policy to ``contact``'s Fact Find."""
    _check_case(firm, case, contact)
    _check_source(source)
    spec, model = _row_spec(section)
    fact_find = _fact_find_for_update(firm=firm, contact=contact)
    if fact_find.pk is None:
        fact_find.save()
    row = model(firm=firm, fact_find=fact_find)
    clean = {name: _stored(row, name, value) for name, value in data.items()}
    for name, value in clean.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    _record(
        firm=firm,
        actor=actor,
        case=case,
        contacts=[contact],
        type=FactFindEventType.FACT_FIND_ROW_ADDED,
        params={
            "section": spec.title,
            "client": contact.display_name,
            "source": source,
            "row": str(row),
        },
        verb=AuditVerb.CREATE,
        obj=row,
        changes=events.snapshot(row, clean),
    )
    return row


@transaction.atomic
def fact_find_row_update(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    section: str,
    row_id: int,
    data: dict[str, Any],
    case: Case | None = None,
    source: str = ChangeSource.STAFF,
) -> models.Model:
    """Change one row of a row section of ``contact``'s Fact Find.

    Only the changed columns are saved, and history shows them; a row of
    another client's Fact Find (or none) is refused, as on removal.
    """
    _check_case(firm, case, contact)
    _check_source(source)
    spec, model = _row_spec(section)
    unknown = set(data) - set(spec.fields)
    if unknown:
        msg = f"Fields outside section {section}: {sorted(unknown)}"
        raise ValueError(msg)
    row = _row_for_update(model, firm=firm, contact=contact, row_id=row_id)
    changes = _apply(row, data)
    if not changes:
        return row
    _record(
        firm=firm,
        actor=actor,
        case=case,
        contacts=[contact],
        type=FactFindEventType.FACT_FIND_ROW_UPDATED,
        params={
            "section": spec.title,
            "client": contact.display_name,
            "source": source,
            "row": str(row),
            "changes": _labelled(type(row), changes),
        },
        verb=AuditVerb.UPDATE,
        obj=row,
        changes=changes,
    )
    return row


@transaction.atomic
def fact_find_row_remove(
    *,
    firm: Firm,
    actor: User | None,
    contact: Contact,
    section: str,
    row_id: int,
    case: Case | None = None,
    source: str = ChangeSource.STAFF,
) -> models.Model:
    """Remove one row of a row section of ``contact``'s Fact Find.

    A row of another client's Fact Find (or none) is refused.
    """
    _check_case(firm, case, contact)
    _check_source(source)
    spec, model = _row_spec(section)
    row = _row_for_update(model, firm=firm, contact=contact, row_id=row_id)
    described, row_pk = str(row), row.pk
    row.delete()
    row.pk = row_pk  # the audit row names the deleted row's id
    _record(
        firm=firm,
        actor=actor,
        case=case,
        contacts=[contact],
        type=FactFindEventType.FACT_FIND_ROW_REMOVED,
        params={
            "section": spec.title,
            "client": contact.display_name,
            "source": source,
            "row": described,
        },
        verb=AuditVerb.DELETE,
        obj=row,
        changes={},
    )
    return row


@transaction.atomic
def demands_needs_update(
    *,
    firm: Firm,
    actor: User | None,
    case: Case,
    section: str,
    data: dict[str, Any],
    source: str = ChangeSource.STAFF,
) -> DemandsNeeds:
    """Save one part of ``case``'s Demands & Needs; history shows what changed.

    A case gets the mortgage or the protection part by its kind, and the
    adviser's notes; another part is refused.
    """
    ensure_same_firm(firm, case)
    locks.ensure_unlocked(firm, case)
    _check_source(source)
    spec = DEMANDS_NEEDS.get(section)
    if spec is None:
        msg = f"Unknown Demands & Needs section: {section!r}"
        raise ValueError(msg)
    if section not in DN_PARTS.get(case.kind, ()):
        raise ApplicationError(
            f"A {case.get_kind_display().lower()} case has no {spec.title.lower()}.",
            "invalid",
        )
    unknown = set(data) - set(spec.fields)
    if unknown:
        msg = f"Fields outside section {section}: {sorted(unknown)}"
        raise ValueError(msg)
    dn = (
        DemandsNeeds.objects.select_for_update().filter(firm=firm, case=case).first()
    ) or DemandsNeeds(firm=firm, case=case)
    created = dn.pk is None
    changes = _apply(dn, data)
    if not changes:
        return dn
    contacts = [a.contact for a in case.applicants.all()]
    _record(
        firm=firm,
        actor=actor,
        case=case,
        contacts=contacts,
        type=FactFindEventType.DEMANDS_NEEDS_UPDATED,
        params={
            "section": spec.title,
            "source": source,
            "changes": _labelled(DemandsNeeds, changes),
        },
        verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
        obj=dn,
        changes=changes,
    )
    return dn
