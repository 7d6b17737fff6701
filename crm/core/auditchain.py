"""The per-firm hash chain of the audit trail (SPEC A7).

Each audit row stores the hash of the firm's previous row (``prev_hash``),
the digest of its own content (``body_hash``) and its hash,
``sha256(prev_hash + body_hash)``. Changing, removing or reordering a row
breaks the link to the next one, which :func:`verify` reports.

:func:`seal` is the one place a row joins the chain; the event pipeline
calls it for every audit row. It reads the firm's chain head with one query,
under a lock held until the transaction ends, so two writers never chain
from the same row:

- PostgreSQL: ``casework_audit_head(firm_id)`` (migration
  ``core.0009_audit_chain``) takes a transaction-level advisory lock on the
  firm and then reads the head. Being a PL/pgSQL function, its read sees
  rows committed while it waited for the lock, which a single SQL statement
  would not.
- SQLite: transactions start ``IMMEDIATE`` (settings), so writers are
  already serialised and a plain read of the head is safe.

An erasure may blank a row's personal data (``redacted_at``); such a row's
content is no longer checked against ``body_hash``, but its links are.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django_scopes import scopes_disabled

from crm.core import kept_insert, txmemo
from crm.core.models import AuditEvent

if TYPE_CHECKING:
    from crm.firms.models import Firm

GENESIS = "0" * 64
# The advisory-lock class of the audit chain (the firm id is the other key).
LOCK_CLASS = 190007


def body_digest(event: AuditEvent) -> str:
    """Return the SHA-256 of ``event``'s content, in a canonical form."""
    created = event.created_at
    assert created is not None  # noqa: S101 - set by seal()
    body = [
        event.firm_id,
        event.actor_id,
        str(event.verb),
        event.object_type,
        event.object_id,
        event.object_repr,
        event.changes,
        event.ip_address or "",
        created.astimezone(UTC).isoformat(timespec="microseconds"),
    ]
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def link(prev_hash: str, body_hash: str) -> str:
    """Return a row's hash from the previous row's hash and its own digest."""
    return hashlib.sha256(f"{prev_hash}{body_hash}".encode()).hexdigest()


def head(firm_id: int) -> str:
    """Lock the firm's chain until the transaction ends; return its last hash.

    One query. Call inside a transaction (``seal`` does).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT casework_audit_head(%s)", [firm_id])
            row = cursor.fetchone()
        last = row[0] if row else None
    else:
        with scopes_disabled():
            last = (
                AuditEvent.objects.filter(firm_id=firm_id)
                .order_by("-id")
                .values_list("hash", flat=True)
                .first()
            )
    return last or GENESIS


def _current_head(firm_id: int) -> str:
    """Return the hash to chain from: this transaction's last, else the head read."""
    return txmemo.get(("audit_head", firm_id)) or head(firm_id)


def _chain(event: AuditEvent, prev: str) -> str:
    """Link ``event`` after the row whose hash is ``prev``; return its own hash."""
    event.prev_hash = prev
    event.body_hash = body_digest(event)
    event.hash = link(prev, event.body_hash)
    return event.hash


def seal(event: AuditEvent) -> AuditEvent:
    """Chain and insert the unsaved ``event`` (one query besides the insert).

    A second row of the firm in the same transaction chains from the first
    without reading the head again (``txmemo``): the lock taken by the first
    read is held until the transaction ends, and only ``seal`` adds rows.
    """
    with transaction.atomic(savepoint=False):
        last = _chain(event, _current_head(event.firm_id))
        # AuditEvent.save only refuses a row that is not new, as insert does.
        kept_insert.insert(event, own_save=True)
        txmemo.put(("audit_head", event.firm_id), last)
    return event


def hold(firm_id: int) -> None:
    """Lock the firm's chain now, for rows to be sealed later in the transaction.

    The head is read (one query) unless this transaction has it already, and
    remembered for ``seal_many``: the lock is taken where ``seal`` would have
    taken it, so the order of the locks a transaction takes does not change
    when its audit rows are written at its end.
    """
    txmemo.put(("audit_head", firm_id), _current_head(firm_id))


def seal_many(events: list[AuditEvent]) -> None:
    """Chain and insert the unsaved ``events``, in their order, in one insert.

    Each firm's head is read once (or taken from ``txmemo``, as ``seal``
    does) and each row chained from the one before it, so the chain is the
    one ``seal`` would have made row by row.
    """
    if not events:
        return
    with transaction.atomic(savepoint=False):
        heads: dict[int, str] = {}
        for event in events:
            firm_id = event.firm_id
            prev = heads.get(firm_id) or _current_head(firm_id)
            heads[firm_id] = _chain(event, prev)
        kept_insert.insert_many(events)
        for firm_id, last in heads.items():
            txmemo.put(("audit_head", firm_id), last)


@dataclass(frozen=True)
class Break:
    """The first broken link of a firm's chain."""

    firm_id: int
    event_id: int
    reason: str

    def __str__(self) -> str:
        return f"firm {self.firm_id}: audit event {self.event_id}: {self.reason}"


@dataclass(frozen=True)
class Verified:
    """A firm's chain checked end to end."""

    firm_id: int
    rows: int
    broken: Break | None


def _rows(firm_id: int) -> Iterator[AuditEvent]:
    with scopes_disabled():
        yield from (
            AuditEvent.objects.filter(firm_id=firm_id)
            .order_by("id")
            .only(
                "id",
                "firm_id",
                "actor_id",
                "verb",
                "object_type",
                "object_id",
                "object_repr",
                "changes",
                "ip_address",
                "created_at",
                "prev_hash",
                "body_hash",
                "hash",
                "redacted_at",
            )
            .iterator(chunk_size=2000)
        )


def verify(firm: "Firm | int") -> Verified:
    """Walk the firm's chain in id order; return the first broken link, if any."""
    firm_id = firm if isinstance(firm, int) else firm.pk
    prev = GENESIS
    count = 0
    for event in _rows(firm_id):
        count += 1
        reason = ""
        if event.prev_hash != prev:
            reason = "its previous hash does not match the row before it"
        elif event.redacted_at is None and event.body_hash != body_digest(event):
            reason = "its content was changed after it was written"
        elif event.hash != link(event.prev_hash, event.body_hash):
            reason = "its hash does not match its content"
        if reason:
            return Verified(firm_id, count, Break(firm_id, event.pk, reason))
        prev = event.hash
    return Verified(firm_id, count, None)
