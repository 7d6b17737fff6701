"""Prepared counts give the ORM's count(), compiled once, running one statement."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scope

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.core.prepared import NotPreparable
from crm.core.prepared_count import PreparedCount
from crm.firms.tests.factories import MembershipFactory
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def _due(*, firm_id: int, user_id: int, day: date, cap: int, which: str) -> Any:
    qs = Task.objects.filter(firm_id=firm_id, status="open")
    condition = Q(due_date=day) if which == "today" else Q(due_date__lt=day)
    return qs.filter(condition, assignee_id=user_id).order_by()[:cap]


def _either(*, firm_id: int, user_id: int, day: date) -> Any:
    tasks = Task.objects.filter(firm_id=firm_id, due_date__lte=day).values("pk")
    cases = Case.objects.filter(firm_id=firm_id, owner_id=user_id).values("pk")
    return tasks.order_by().union(cases.order_by(), all=True)[:50]


DUE = PreparedCount(Task, _due, shapes=("cap",))
EITHER = PreparedCount(Task, _either)


def _tasks(firm: Any) -> Any:
    user = MembershipFactory(firm=firm).user
    for n in range(7):
        TaskFactory(
            firm=firm,
            assignee=user,
            due_date=DAY - timedelta(days=n % 3),
            status="open",
        )
    make_case(firm, owner=user)
    return user


def test_counts_as_the_orm_does(firm, other_firm):
    """Days (as they are on PostgreSQL, as text on SQLite), caps, shapes, firms."""
    for each in (firm, other_firm):
        user = _tasks(each)
        with scope(firm=each):
            for day in (DAY, DAY - timedelta(days=1), DAY + timedelta(days=9)):
                for cap, which in ((100, "today"), (100, "before"), (2, "before")):
                    args = {"user_id": user.pk, "day": day, "cap": cap, "which": which}
                    expected = _due(firm_id=each.pk, **args).count()
                    assert DUE(firm_id=each.pk, **args) == expected, args
                expected = _either(firm_id=each.pk, user_id=user.pk, day=day).count()
                assert EITHER(firm_id=each.pk, user_id=user.pk, day=day) == expected
    assert DUE(firm_id=firm.pk, user_id=user.pk, day=DAY, cap=100, which="today") == 0


def test_one_statement_a_call_and_none_to_compile(firm):
    """Compiling takes the SQL from the compiler: nothing is run or logged."""
    user = _tasks(firm)
    read = PreparedCount(Task, _due, shapes=("cap",))
    args = {"user_id": user.pk, "day": DAY, "cap": 100, "which": "today"}
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert read(firm_id=firm.pk, **args) == 3
        assert len(queries) == 1
        assert queries[0]["sql"].startswith("SELECT COUNT(*)")


def test_a_constant_made_from_a_day_is_refused(firm):
    read = PreparedCount(
        Task,
        lambda *, firm_id, day: Task.objects.filter(due_date=day - timedelta(days=1)),
    )
    with pytest.raises(NotPreparable, match="depends on"):
        read(firm_id=firm.pk, day=DAY)


def test_nothing_to_count_runs_no_statement(firm):
    read = PreparedCount(Task, lambda *, firm_id: Task.objects.none())
    with CaptureQueriesContext(connection) as queries:
        assert read(firm_id=firm.pk) == 0
    assert len(queries) == 0


def test_it_keeps_the_firm_scope(firm, other_firm):
    with scope(firm=other_firm), pytest.raises(ScopeError):
        DUE(firm_id=firm.pk, user_id=1, day=DAY, cap=5, which="today")
