"""Audit trail writing: every service records its change here (SPEC A7)."""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.core.request_context import client_ip

if TYPE_CHECKING:
    from crm.firms.models import Firm, User

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    """Return ``value`` as something JSON can store and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, str):
        # PostgreSQL's JSON cannot hold NUL characters.
        return value.replace("\x00", "")
    return value


def _value(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        # Compare related objects by id: two records may share a name.
        pk = getattr(instance, field.attname)
        if pk is None:
            return None
        return f"{getattr(instance, name)} (#{pk})"
    return _plain(getattr(instance, name))


def snapshot(instance: models.Model, fields: Iterable[str]) -> Snapshot:
    """Return the current values of ``fields`` on ``instance``, for a later diff.

    Related objects are recorded as "name (#id)", so choosing a different
    record with the same name still counts as a change.
    """
    return {name: _value(instance, name) for name in fields}


def diff(before: Snapshot, instance: models.Model) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for each field of ``before`` that changed."""
    after = snapshot(instance, before)
    return {
        name: [before[name], after[name]]
        for name in before
        if before[name] != after[name]
    }


def object_type_of(instance: models.Model) -> str:
    """Return the ``app_label.model`` label used in the audit log."""
    return instance._meta.label_lower


def audit_record(
    *,
    firm: "Firm",
    actor: "User | None",
    verb: AuditVerb,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event for a change ``actor`` made in ``firm``."""
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    event = AuditEvent(
        firm=firm,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=_plain(changes or {}),
        ip_address=client_ip(),
    )
    event.save()
    return event
