"""Snapshots and diffs for the audit trail (SPEC A7).

Services take a :func:`snapshot` before a change and pass :func:`diff` as
``changes=`` to ``crm.core.events.record``, which writes the audit row.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst

Snapshot = dict[str, Any]


def plain(value: Any) -> Any:
    """Return ``value`` as something JSON can store and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
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
    return plain(getattr(instance, name))


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


# How the audit log names a record type (``app_label.model``): apps fill this
# from ``AppConfig.ready()`` with the words their users know.
_record_names: dict[str, str] = {}


def name_records(names: dict[str, str]) -> None:
    """Name record types (``app_label.model``) in people's words for the audit log."""
    _record_names.update(names)


def record_name(object_type: str) -> str:
    """Return the name members know ``object_type`` by ("Fact Find", "Member")."""
    if object_type in _record_names:
        return _record_names[object_type]
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return capfirst(object_type.rpartition(".")[2].replace("_", " "))
    return capfirst(str(model._meta.verbose_name))
