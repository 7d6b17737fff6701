"""service_atomic and all_or_nothing: savepoints only where a caller may go on."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from crm.core.models import SpentToken
from crm.core.transactions import all_or_nothing, service_atomic


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
