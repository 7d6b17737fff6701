"""Lost updates and double submits (SPEC A10).

**Versions.** A model that people edit side by side (a case, a lead, a
contact) has a ``version`` column. Its edit form carries the version it was
opened on (:class:`VersionField`); the update service calls
:func:`claim_version` once it knows the save changes something. The claim is
one conditional ``UPDATE … WHERE version = <opened>``, atomic on SQLite and
PostgreSQL alike, so of two saves made from the same version exactly one
wins; the other raises :class:`StaleVersion`, which names who changed what
since (from the audit log: every claimed version is one UPDATE audit row).

**One-time tokens.** A create form carries a token (:class:`OnceTokenField`)
that the create service spends with :func:`spend_token` in its transaction:
a second post of the same form (a double click, a resent request) finds the
token spent and creates nothing.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone

from crm.core.audit import object_type_of
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent, SpentToken

MAX_LISTED = 5


@dataclass(frozen=True)
class Change:
    """One save someone else made after the form was opened."""

    actor: str
    at: datetime
    fields: tuple[str, ...]

    def __str__(self) -> str:
        when = timezone.localtime(self.at).strftime("%d %b %Y at %H:%M")
        return f"{self.actor} changed {', '.join(self.fields)} on {when}"


class StaleVersion(ApplicationError):
    """The record changed after the form was opened; nothing was saved."""

    def __init__(self, *, current: int, changes: list[Change]) -> None:
        if changes:
            said = "; ".join(str(c) for c in changes)
            message = f"Someone else saved this record after you opened it: {said}."
        else:
            message = "Someone else saved this record after you opened it."
        message += (
            " Your changes are not saved yet. They are kept below: check them "
            "against the record and save again to keep them."
        )
        super().__init__(message, "stale_version", {"current_version": current})
        self.current = current
        self.changes = changes


class VersionField(forms.IntegerField):
    """The hidden version an edit form was opened on (blank: no check)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("label", "")
        super().__init__(**kwargs)


def _label(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:  # a related model's field: use its name
        return name.replace("_", " ")
    return str(getattr(field, "verbose_name", name))


def _changes_since(firm: Any, instance: models.Model, count: int) -> list[Change]:
    """Return the last ``count`` saves of ``instance``, newest first, from the audit."""
    rows = (
        AuditEvent.objects.filter(
            firm=firm,
            object_type=object_type_of(instance),
            object_id=str(instance.pk),
            verb=AuditVerb.UPDATE,
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[: max(1, min(count, MAX_LISTED))]
    )
    model = type(instance)
    return [
        Change(
            actor=(row.actor.get_full_name() or row.actor.email)
            if row.actor
            else "the system",
            at=row.created_at,
            # Sorted: PostgreSQL's JSON does not keep the order of the keys.
            fields=tuple(sorted(_label(model, name) for name in row.changes)),
        )
        for row in rows
    ]


def claim_version(*, firm: Any, instance: models.Model, version: int | None) -> None:
    """Move ``instance`` to its next version, or raise :class:`StaleVersion`.

    ``version`` is the one the form was opened on; ``None`` (a caller with no
    form, such as a job) takes the next version whatever it is. Call it inside
    the service's transaction, after the checks and before the save.
    """
    rows = type(instance)._default_manager.filter(firm=firm, pk=instance.pk)
    if version is None:
        rows.update(version=F("version") + 1)
        instance.version = rows.values_list("version", flat=True).get()  # type: ignore[attr-defined]  # versioned models have it
        return
    if rows.filter(version=version).update(version=version + 1):
        instance.version = version + 1  # type: ignore[attr-defined]  # versioned models have it
        return
    current = rows.values_list("version", flat=True).get()
    raise StaleVersion(
        current=current,
        changes=_changes_since(firm, instance, current - version),
    )


# --- one-time tokens for create forms ---------------------------------------


def new_token() -> str:
    """Return a fresh one-time token for a create form."""
    return secrets.token_urlsafe(24)


class OnceTokenField(forms.CharField):
    """The hidden one-time token of a create form (blank: not protected)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("label", "")
        super().__init__(**kwargs)


class AlreadySubmitted(ApplicationError):
    """The same form was posted twice; the first post did the work."""

    def __init__(self, *, purpose: str, url: str = "") -> None:
        super().__init__(
            "This form was already sent once, so nothing more was created.",
            "already_submitted",
            {"purpose": purpose, "url": url},
        )
        self.url = url


def spend_token(*, firm: Any, token: str | None, purpose: str) -> None:
    """Mark ``token`` used for ``purpose``, or raise :class:`AlreadySubmitted`.

    Call it first in the create service's transaction, so a create that fails
    leaves the token unspent and the user can correct the form and post again.
    Two posts at once: the second waits on the first's row (PostgreSQL) or
    write lock (SQLite) and then finds the token spent. A blank token (a
    caller with no form, such as a job) is not checked.
    """
    if not token:
        return
    if not _insert_unless_spent(SpentToken(firm=firm, token=token, purpose=purpose)):
        url = (
            SpentToken.objects.filter(firm=firm, token=token)
            .values_list("result_url", flat=True)
            .first()
        )
        raise AlreadySubmitted(purpose=purpose, url=url or "")


def _insert_unless_spent(spent: SpentToken) -> bool:
    """Insert ``spent`` unless its token is there; return whether it was inserted.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (``INSERT OR
    IGNORE`` on SQLite), where a plain insert needs a savepoint around it to
    survive the unique violation: three statements. A conflicting insert not
    yet committed is waited for, as before. A database that cannot return
    rows from an insert (SQLite before 3.35) takes the three statements.
    """
    using = router.db_for_write(SpentToken)
    if not connections[using].features.can_return_columns_from_insert:
        try:
            with transaction.atomic(using=using):
                spent.save(using=using)
        except IntegrityError:
            return False
        return True
    meta = SpentToken._meta
    query = InsertQuery(SpentToken, on_conflict=OnConflict.IGNORE)
    query.insert_values(
        [f for f in meta.local_concrete_fields if not f.primary_key], [spent]
    )
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    spent.pk = row[0]
    spent._state.adding = False
    spent._state.db = using
    return True


TOKEN_DAYS = 2


def tokens_prune(*, now: datetime | None = None) -> int:
    """Delete spent tokens older than ``TOKEN_DAYS``; return how many.

    A form is not sent twice days apart by a double click; the workers call
    this now and then (``crm.core.management.commands.db_worker``).
    """
    cutoff = (now or timezone.now()) - timedelta(days=TOKEN_DAYS)
    deleted, _ = SpentToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def token_result(*, firm: Any, token: str | None, url: str) -> None:
    """Remember the page of what ``token``'s post created (same transaction)."""
    if token:
        SpentToken.objects.filter(firm=firm, token=token).update(result_url=url[:200])
