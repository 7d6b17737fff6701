"""The audit hash chain and ``verify_audit`` (SPEC A7)."""

from typing import cast

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django_scopes import scopes_disabled

from crm.core import auditchain, events
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent, AuditEventQuerySet
from crm.core.tests.factories import AuditEventFactory
from crm.core.transactions import all_or_nothing

pytestmark = pytest.mark.django_db


def _write(firm, n, prefix="Row"):
    for i in range(n):
        events.record(
            firm=firm,
            actor=None,
            verb=AuditVerb.UPDATE,
            object_type="firms.branch",
            object_id=str(i),
            object_repr=f"{prefix}{i}",
            changes={"name": ["a", f"b{i}"]},
        )


def test_each_row_links_to_the_previous_one_of_its_firm(firm, other_firm):
    """SPEC A7: rows store the previous hash and their own, chained per firm."""
    _write(firm, 3)
    _write(other_firm, 2)
    with scopes_disabled():
        rows = list(AuditEvent.objects.filter(firm=firm).order_by("id"))
    assert rows[0].prev_hash == auditchain.GENESIS
    assert rows[1].prev_hash == rows[0].hash
    assert rows[2].prev_hash == rows[1].hash
    assert all(len(r.hash) == 64 for r in rows)
    assert auditchain.verify(firm).broken is None
    assert auditchain.verify(other_firm).rows == 2


def test_verify_reports_the_first_changed_row(firm):
    """SPEC A7: a row edited behind the app's back is named as the first break."""
    _write(firm, 4)
    with scopes_disabled():
        rows = list(AuditEvent.objects.filter(firm=firm).order_by("id"))
        # A raw edit, as someone with database access might make.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_auditevent SET object_repr = %s WHERE id = %s",
                ["Tampered", rows[1].pk],
            )
    result = auditchain.verify(firm)
    assert result.broken is not None
    assert result.broken.event_id == rows[1].pk
    assert "content was changed" in result.broken.reason


def test_verify_reports_a_removed_row(firm):
    """SPEC A7: deleting a row breaks the link of the row after it."""
    _write(firm, 3)
    with scopes_disabled():
        rows = list(AuditEvent.objects.filter(firm=firm).order_by("id"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [rows[1].pk])
    result = auditchain.verify(firm)
    assert result.broken is not None
    assert result.broken.event_id == rows[2].pk
    assert "previous hash" in result.broken.reason


def test_a_redacted_row_keeps_the_chain_intact(firm):
    """SPEC A7/M3: an erasure's redaction blanks content but no link breaks."""
    _write(firm, 3, prefix="Jane Doe ")
    with scopes_disabled():
        first = AuditEvent.objects.filter(firm=firm).order_by("id").first()
        assert first is not None
        rows = cast(AuditEventQuerySet, AuditEvent.objects.filter(pk=first.pk))
        rows.redact(object_repr="[erased]", changes={}, at=first.created_at)
        assert AuditEvent.objects.get(pk=first.pk).object_repr == "[erased]"
    assert auditchain.verify(firm).broken is None


def test_verify_audit_command_passes_and_fails(firm, capsys):
    """SPEC A7: ``manage.py verify_audit [--firm]`` reports the first broken link."""
    AuditEventFactory(firm=firm)
    AuditEventFactory(firm=firm)
    call_command("verify_audit", "--firm", str(firm.pk))
    assert "chain intact" in capsys.readouterr().out

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET hash = %s WHERE firm_id = %s",
            ["f" * 64, firm.pk],
        )
    with pytest.raises(CommandError, match="1 of 1 audit chains are broken"):
        call_command("verify_audit", "--firm", str(firm.pk))
    assert "BROKEN" in capsys.readouterr().err


def test_verify_audit_refuses_an_unknown_firm():
    """An unknown firm id is a clear error, not a traceback."""
    with pytest.raises(CommandError, match="No firm has id 999999"):
        call_command("verify_audit", "--firm", "999999")


def test_an_audit_write_costs_one_query_more_than_the_insert(
    firm, django_assert_num_queries
):
    """SPEC A7: chaining adds one query (the locked read of the head) to a
    transaction's first row of the firm (later ones: test_txmemo)."""
    _write(firm, 1)
    with django_assert_num_queries(2):
        _write(firm, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_never_fork_the_chain(firm):
    """SPEC A7: writers in parallel transactions each chain from the latest row.

    Each thread holds its transaction open after writing, so without the
    per-firm lock two of them would read the same head.
    """
    if connection.vendor != "postgresql":
        pytest.skip("The advisory lock is PostgreSQL's; SQLite serialises writers.")
    import threading
    import time

    from django.db import connections, transaction

    def writer(n):
        try:
            with transaction.atomic():
                _write(firm, 1, prefix=f"T{n}-")
                time.sleep(0.05)
                _write(firm, 1, prefix=f"T{n}-")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = auditchain.verify(firm)
    assert result.rows == 12
    assert result.broken is None


def test_rows_deferred_to_the_end_of_a_block_chain_as_if_written_one_by_one(
    firm, other_firm
):
    """SPEC A7: Create Case's audit rows, written in one insert at the end of
    its all-or-nothing block, chain from the head and from each other in the
    order they were recorded, per firm, after rows written before the block."""
    _write(firm, 1, prefix="Before")
    with all_or_nothing():
        _write(firm, 2, prefix="Deferred")
        _write(other_firm, 1, prefix="Other")
        with scopes_disabled():
            assert not AuditEvent.objects.filter(object_repr__startswith="Deferred")
    _write(firm, 1, prefix="After")
    with scopes_disabled():
        rows = list(AuditEvent.objects.filter(firm=firm).order_by("id"))
    assert [r.object_repr for r in rows] == [
        "Before0",
        "Deferred0",
        "Deferred1",
        "After0",
    ]
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert auditchain.verify(firm).broken is None
    assert auditchain.verify(other_firm).rows == 1
    assert auditchain.verify(other_firm).broken is None


def test_a_row_sealed_at_once_between_deferred_ones_keeps_the_chain(firm):
    """SPEC A7: a row written at once inside a savepoint of the block (so
    before the block's deferred rows) and the deferred rows after it chain by
    id, as ``verify`` walks them."""
    with all_or_nothing():
        _write(firm, 1, prefix="First")
        with transaction.atomic():
            _write(firm, 1, prefix="AtOnce")
        _write(firm, 1, prefix="Last")
    with scopes_disabled():
        rows = list(AuditEvent.objects.filter(firm=firm).order_by("id"))
    assert [r.object_repr for r in rows] == ["AtOnce0", "First0", "Last0"]
    assert auditchain.verify(firm).broken is None
