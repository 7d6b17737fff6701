"""Writes to the firm's reference lists: branches, interaction types, task categories.

The helpers at the top (``save_new``, ``save_changes``, ``save_active``,
``named_create``, ``named_rename``) take any ``ReferenceModel`` and are shared
with ``services/introducers.py`` and with higher apps' lists (``crm.support``'s
pathways); each public service adds its own rules, calls them and
``crm.core.tenancy.ensure_same_firm``, under its own transaction.
"""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import (
    Branch,
    Firm,
    InteractionType,
    ReferenceModel,
    TaskCategory,
    User,
)
from crm.firms.services.firm import choices_changed

Reference = TypeVar("Reference", bound=ReferenceModel)

BRANCH_FIELDS = ("name", "address", "phone")


# Shared helpers


def _save(obj: Reference, duplicate: str | None, **kwargs: Any) -> None:
    """Save ``obj``; with ``duplicate``, a unique-name race becomes a form error."""
    if duplicate is None:
        obj.save(**kwargs)
        return
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError as exc:
        raise ApplicationError(duplicate, "duplicate", {"field": "name"}) from exc


@transaction.atomic
def save_new(
    obj: Reference,
    *,
    firm: Firm,
    actor: User,
    fields: tuple[str, ...],
    duplicate: str | None = None,
) -> Reference:
    """Validate and insert ``obj``, and record its ``fields`` in the audit log."""
    ensure_same_firm(firm, obj)
    obj.full_clean()
    _save(obj, duplicate)
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.CREATE,
        subject=obj,
        changes={
            name: [None, value] for name, value in events.snapshot(obj, fields).items()
        },
    )
    return obj


@transaction.atomic
def save_changes(
    obj: Reference,
    *,
    firm: Firm,
    actor: User,
    values: dict[str, Any],
    duplicate: str | None = None,
) -> Reference:
    """Set ``values`` on ``obj``; save and audit only the fields that changed.

    If validation fails, ``obj`` keeps its old values, so the page that shows
    the error still shows the saved name in its heading.
    """
    ensure_same_firm(firm, obj)
    original = {name: getattr(obj, name) for name in values}
    before = events.snapshot(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        obj.full_clean()
    except ValidationError:
        for name, value in original.items():
            setattr(obj, name, value)
        raise
    changes = events.diff(before, obj)
    if changes:
        _save(obj, duplicate, update_fields=list(changes))
        events.record(
            firm=firm, actor=actor, verb=AuditVerb.UPDATE, subject=obj, changes=changes
        )
    return obj


@transaction.atomic
def save_active(obj: Reference, *, firm: Firm, actor: User, active: bool) -> Reference:
    """Archive (``active=False``) or restore ``obj``; doing it twice is a no-op."""
    ensure_same_firm(firm, obj)
    if obj.is_active == active:
        return obj
    obj.is_active = active
    obj.save(update_fields=["is_active"])
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.RESTORE if active else AuditVerb.ARCHIVE,
        subject=obj,
        changes={"is_active": [not active, active]},
    )
    return obj


# Branches (the firm's own offices)


@transaction.atomic
def branch_create(
    *, firm: Firm, actor: User, name: str, address: str = "", phone: str = ""
) -> Branch:
    """Add one of the firm's own offices."""
    branch = Branch(firm=firm, name=name.strip(), address=address, phone=phone)
    return save_new(branch, firm=firm, actor=actor, fields=BRANCH_FIELDS)


@transaction.atomic
def branch_update(
    *, firm: Firm, actor: User, branch: Branch, name: str, address: str, phone: str
) -> Branch:
    """Change a branch's name, address or phone number."""
    values = {"name": name.strip(), "address": address, "phone": phone}
    return save_changes(branch, firm=firm, actor=actor, values=values)


@transaction.atomic
def branch_set_active(
    *, firm: Firm, actor: User, branch: Branch, active: bool
) -> Branch:
    """Archive a branch (hidden from pickers, kept on old records) or restore it."""
    return save_active(branch, firm=firm, actor=actor, active=active)


# Interaction types and task categories: name-only lists, unique per firm


def _duplicate_message(model: type[ReferenceModel], name: str) -> str:
    return f"The {model._meta.verbose_name} “{name}” already exists."


def _check_name_free(
    model: type[ReferenceModel], firm: Firm, name: str, exclude: ReferenceModel | None
) -> str:
    """Return ``name`` stripped, or refuse it if empty or taken (any case)."""
    name = name.strip()
    if not name:
        raise ApplicationError("Enter a name.", "invalid", {"field": "name"})
    clashes = (
        model._default_manager.filter(firm=firm)
        .alias(name_lower=Lower("name"))
        .filter(name_lower=Lower(Value(name)))
    )
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    clash = clashes.values_list("name", "is_active").first()
    if clash is not None:
        clash_name, clash_active = clash
        message = _duplicate_message(model, clash_name)
        if not clash_active:
            message += " It is archived: restore it from the list instead."
        raise ApplicationError(message, "duplicate", {"field": "name"})
    return name


def named_create(
    model: type[Reference], *, firm: Firm, actor: User, name: str
) -> Reference:
    """Insert a name-only row of ``model``; its name must be new in any case."""
    name = _check_name_free(model, firm, name, None)
    return save_new(
        model(firm=firm, name=name),
        firm=firm,
        actor=actor,
        fields=("name",),
        duplicate=_duplicate_message(model, name),
    )


def named_rename(obj: Reference, *, firm: Firm, actor: User, name: str) -> Reference:
    """Rename a name-only row; the new name must not be another row's."""
    ensure_same_firm(firm, obj)
    name = _check_name_free(type(obj), firm, name, obj)
    return save_changes(
        obj,
        firm=firm,
        actor=actor,
        values={"name": name},
        duplicate=_duplicate_message(type(obj), name),
    )


@transaction.atomic
def interaction_type_create(*, firm: Firm, actor: User, name: str) -> InteractionType:
    """Add an interaction type; its name must be new to the firm in any case."""
    return named_create(InteractionType, firm=firm, actor=actor, name=name)


@transaction.atomic
def interaction_type_rename(
    *, firm: Firm, actor: User, interaction_type: InteractionType, name: str
) -> InteractionType:
    """Rename an interaction type; interactions already logged show the new name."""
    return named_rename(interaction_type, firm=firm, actor=actor, name=name)


@transaction.atomic
def interaction_type_set_active(
    *, firm: Firm, actor: User, interaction_type: InteractionType, active: bool
) -> InteractionType:
    """Archive an interaction type (no longer offered) or restore it."""
    return save_active(interaction_type, firm=firm, actor=actor, active=active)


@transaction.atomic
def task_category_create(*, firm: Firm, actor: User, name: str) -> TaskCategory:
    """Add a task category; its name must be new to the firm in any case."""
    category = named_create(TaskCategory, firm=firm, actor=actor, name=name)
    choices_changed(firm_ids=[firm.pk])  # the Tasks page's category filter
    return category


@transaction.atomic
def task_category_rename(
    *, firm: Firm, actor: User, task_category: TaskCategory, name: str
) -> TaskCategory:
    """Rename a task category; existing tasks show the new name."""
    category = named_rename(task_category, firm=firm, actor=actor, name=name)
    choices_changed(firm_ids=[firm.pk])  # the Tasks page's category filter
    return category


@transaction.atomic
def task_category_set_active(
    *, firm: Firm, actor: User, task_category: TaskCategory, active: bool
) -> TaskCategory:
    """Archive a task category (no longer offered) or restore it."""
    category = save_active(task_category, firm=firm, actor=actor, active=active)
    choices_changed(firm_ids=[firm.pk])  # the Tasks page's category filter
    return category
