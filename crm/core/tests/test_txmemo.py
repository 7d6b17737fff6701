"""txmemo: a value remembered until its transaction ends (bench notes 42)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from crm.core import auditchain, txmemo
from crm.core.tests.factories import AuditEventFactory


@pytest.mark.django_db(transaction=True)
def test_a_value_lasts_until_its_transaction_commits_or_rolls_back():
    """Commit and rollback both end it; outside a transaction nothing is kept."""
    txmemo.put("k", 1)
    assert txmemo.get("k") is None
    with transaction.atomic():
        txmemo.put("k", 1)
        assert txmemo.get("k") == 1
    with transaction.atomic():
        assert txmemo.get("k") is None
        txmemo.put("k", 2)
        transaction.set_rollback(True)
    with transaction.atomic():
        assert txmemo.get("k") is None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_ends_every_value_and_a_released_one_none():
    """What a rolled-back savepoint read or wrote is never used again."""
    with transaction.atomic():
        with transaction.atomic():
            txmemo.put("inner", 1)
        txmemo.put("outer", 2)
        assert (txmemo.get("inner"), txmemo.get("outer")) == (1, 2)
        try:
            with transaction.atomic():
                txmemo.put("inner", 3)
                raise RuntimeError
        except RuntimeError:
            pass
        assert (txmemo.get("inner"), txmemo.get("outer")) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_forget_and_none_drop_a_value():
    with transaction.atomic():
        txmemo.put("a", 1)
        txmemo.put("b", 2)
        txmemo.forget("a")
        txmemo.put("b", None)
        assert (txmemo.get("a"), txmemo.get("b")) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_the_audit_head_is_read_once_a_transaction(firm):
    """SPEC A7: the second row of a firm in one transaction chains from the
    first without reading the head again; the chain verifies."""
    with transaction.atomic():
        AuditEventFactory(firm=firm)
        with CaptureQueriesContext(connection) as second:
            AuditEventFactory(firm=firm)
    with transaction.atomic(), CaptureQueriesContext(connection) as next_one:
        AuditEventFactory(firm=firm)
    assert (len(second), len(next_one)) == (1, 2)
    assert auditchain.verify(firm).rows == 3
    assert auditchain.verify(firm).broken is None


@pytest.mark.django_db(transaction=True)
def test_a_row_rolled_back_in_a_savepoint_is_not_chained_from(firm):
    """The head is read again after a savepoint with a sealed row rolls back."""
    with transaction.atomic():
        AuditEventFactory(firm=firm)
        try:
            with transaction.atomic():
                AuditEventFactory(firm=firm, object_repr="gone")
                raise RuntimeError
        except RuntimeError:
            pass
        with CaptureQueriesContext(connection) as after:
            AuditEventFactory(firm=firm)
    assert len(after) == 2
    result = auditchain.verify(firm)
    assert (result.rows, result.broken) == (2, None)
    assert connection.in_atomic_block is False
