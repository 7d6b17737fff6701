"""service_atomic and all_or_nothing: savepoints only where a caller may go on."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from crm.core.models import SpentToken
from crm.core.transactions import all_or_nothing, deferred, service_atomic


class Refused(Exception):
    pass


@service_atomic
def _spend(firm, token, fail=False):
    SpentToken.objects.create(firm=firm, token=token, purpose="test")
    if fail:
        raise Refused(token)


def _spend_two(firm):
    _spend(firm, "three")
    _spend(firm, "four", fail=True)


def _savepoints(captured):
    return [q["sql"].split()[0] for q in captured if "SAVEPOINT" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_nested_service_has_a_savepoint_its_caller_may_go_on_after(firm):
    """Outside all_or_nothing a refusal rolls back the service's work only."""
    with transaction.atomic():
        _spend(firm, "kept")
        with CaptureQueriesContext(connection) as captured, pytest.raises(Refused):
            _spend(firm, "refused", fail=True)
        _spend(firm, "after")
    assert _savepoints(captured) == ["SAVEPOINT", "ROLLBACK", "RELEASE"]
    assert sorted(SpentToken.objects.values_list("token", flat=True)) == [
        "after",
        "kept",
    ]


@pytest.mark.django_db(transaction=True)
def test_in_all_or_nothing_services_join_and_an_error_undoes_all(firm):
    """No savepoint for the services; an error rolls back the whole block."""
    with CaptureQueriesContext(connection) as captured, all_or_nothing():
        _spend(firm, "one")
        _spend(firm, "two")
    assert _savepoints(captured) == []
    with pytest.raises(Refused), all_or_nothing():
        _spend_two(firm)
    assert sorted(SpentToken.objects.values_list("token", flat=True)) == [
        "one",
        "two",
    ]


@pytest.mark.django_db(transaction=True)
def test_after_a_savepoint_rolls_back_services_take_savepoints_again(firm):
    """A block that caught an error in its own savepoint is no longer all or
    nothing for what follows; outside the block, services nest as usual."""
    with all_or_nothing():
        try:
            with transaction.atomic():
                raise Refused
        except Refused:
            pass
        with CaptureQueriesContext(connection) as captured:
            _spend(firm, "five")
    assert _savepoints(captured) == ["SAVEPOINT", "RELEASE"]
    with transaction.atomic(), CaptureQueriesContext(connection) as outside:
        _spend(firm, "six")
    assert _savepoints(outside) == ["SAVEPOINT", "RELEASE"]


# Rows deferred to the end of an all-or-nothing block (``deferred``).


def _flushed_into(log):
    def flush(rows):
        log.append(list(rows))

    return flush


def _defer(log, key, row):
    """Append ``row`` to ``key``'s deferred rows (there must be a block)."""
    rows = deferred(key, _flushed_into(log))
    assert rows is not None
    rows.append(row)


def test_deferred_rows_are_written_once_when_the_block_ends(firm):
    """Outside a block nothing is deferred; in one, each key's rows are given
    to its flush once, at the end, in the order the keys were first asked."""
    log: list[list[object]] = []
    assert deferred("a", _flushed_into(log)) is None
    with all_or_nothing():
        _defer(log, "a", 1)
        _defer(log, "b", "x")
        _defer(log, "a", 2)
        assert log == []
    assert log == [[1, 2], ["x"]]


def test_deferred_rows_are_dropped_with_the_block(firm):
    """An error, or a rollback the block asks for, writes none of them."""
    log: list[list[object]] = []

    def fails() -> None:
        with all_or_nothing():
            _defer(log, "a", 1)
            raise Refused

    with pytest.raises(Refused):
        fails()
    with all_or_nothing():
        _defer(log, "a", 2)
        transaction.set_rollback(True)
    assert log == []


def test_nothing_is_deferred_inside_a_savepoint_of_the_block(firm):
    """A savepoint opened in the block could roll back alone: its rows are
    written at once; the block's own are still deferred after it."""
    log: list[list[object]] = []
    with all_or_nothing():
        with transaction.atomic():
            assert deferred("a", _flushed_into(log)) is None
        _defer(log, "a", 1)
    assert log == [[1]]


def test_a_flush_that_fails_undoes_the_block(firm):
    """A deferred write that fails leaves the block as any error does."""

    def broken(rows):
        raise Refused(rows)

    def block() -> None:
        with all_or_nothing():
            _spend(firm, "undone")
            rows = deferred("broken", broken)
            assert rows is not None
            rows.append(1)

    with pytest.raises(Refused):
        block()
    assert not SpentToken.objects.filter(token="undone").exists()
