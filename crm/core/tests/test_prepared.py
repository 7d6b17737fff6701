"""Prepared reads give what the ORM's queryset gives, compiling it once."""

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import ScopeError, scope

from crm.cases.models import Case, CaseApplicant
from crm.cases.tests.factories import make_case
from crm.core import prepared
from crm.core.prepared import NotPreparable, Prepared
from crm.firms.tests.factories import MembershipFactory
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _tasks_of(*, firm_id: int, case_id: int, done: str = "") -> Any:
    qs = Task.objects.filter(firm_id=firm_id, case_id=case_id)
    if done:
        qs = qs.filter(status="done")
    return qs.select_related("assignee", "case").order_by("due_date", "id")[:10]


def _tasks_among(*, firm_id: int, case_ids: list[int]) -> Any:
    return (
        Task.objects.filter(firm_id=firm_id)
        .filter(Q(case_id__in=case_ids) | Q(status="done"))
        .annotate(notes=Count("case__applicants"))
        .order_by("id")
    )


TASKS_OF = Prepared(Task, _tasks_of)
TASKS_AMONG = Prepared(Task, _tasks_among)


def _same(found: list[Task], expected: list[Task], *, related: tuple[str, ...]) -> None:
    assert [t.pk for t in found] == [t.pk for t in expected]
    for got, want in zip(found, expected, strict=True):
        for field in Task._meta.concrete_fields:
            mine, theirs = getattr(got, field.attname), getattr(want, field.attname)
            assert (mine, type(mine)) == (theirs, type(theirs)), field.name
        for name in related:
            relation: Any = Task._meta.get_field(name)
            assert relation.is_cached(got)
            mine, theirs = getattr(got, name), getattr(want, name)
            assert mine == theirs
            if mine is not None:
                assert vars(mine).keys() >= {"id", "_state"}
                for field in type(mine)._meta.concrete_fields:
                    assert getattr(mine, field.attname) == getattr(
                        theirs, field.attname
                    )
        assert got._state.db == want._state.db
        assert got._state.adding is False


def _tasks(firm, owner_user) -> Any:
    case = make_case(firm)
    today = timezone.localdate()
    for n in range(4):
        TaskFactory(
            firm=firm,
            case=case,
            assignee=owner_user if n % 2 else None,
            due_date=today + timedelta(days=3 - n),
            status="done" if n == 1 else "open",
        )
    return case


def test_a_prepared_read_gives_the_orms_rows(firm, other_firm):
    """Rows, their fields' values and types, select_related rows and nulls."""
    user = MembershipFactory(firm=firm).user
    case = _tasks(firm, user)
    other = _tasks(other_firm, MembershipFactory(firm=other_firm).user)
    for done in ("", "done"):
        with scope(firm=firm):
            found = TASKS_OF(firm_id=firm.pk, case_id=case.pk, done=done)
            expected = list(_tasks_of(firm_id=firm.pk, case_id=case.pk, done=done))
        assert found
        _same(found, expected, related=("assignee", "case"))
    with scope(firm=firm):
        # Another firm's case through this firm: nothing, as through the ORM.
        assert TASKS_OF(firm_id=firm.pk, case_id=other.pk) == []
    with scope(firm=other_firm):
        found = TASKS_OF(firm_id=other_firm.pk, case_id=other.pk)
        assert {t.firm_id for t in found} == {other_firm.pk}
        assert len(found) == 4


def test_lists_of_ids_and_annotations(firm):
    cases = [_tasks(firm, MembershipFactory(firm=firm).user) for _ in range(3)]
    with scope(firm=firm):
        for chosen in ([cases[0].pk], [c.pk for c in cases], [cases[2].pk] * 2):
            found = TASKS_AMONG(firm_id=firm.pk, case_ids=chosen)
            expected = list(_tasks_among(firm_id=firm.pk, case_ids=chosen))
            _same(found, expected, related=())
            notes = [getattr(t, "notes") for t in found]  # noqa: B009 - an annotation
            assert notes == [getattr(t, "notes") for t in expected]  # noqa: B009
        # An empty list, compiled as such (the ORM drops it from the OR).
        expected = list(_tasks_among(firm_id=firm.pk, case_ids=[]))
        assert TASKS_AMONG(firm_id=firm.pk, case_ids=[]) == expected
        assert expected  # the done tasks
        read = Prepared(Task, lambda *, firm_id, ids: Task.objects.filter(pk__in=ids))
        with CaptureQueriesContext(connection) as queries:
            assert read(firm_id=firm.pk, ids=[]) == []
        assert len(queries) == 0


def test_it_compiles_once_and_runs_one_statement(firm, monkeypatch):
    case = _tasks(firm, MembershipFactory(firm=firm).user)
    read = Prepared(Task, _tasks_of)
    compiled: list[object] = []
    original = SQLCompiler.as_sql

    def counted(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        compiled.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    monkeypatch.setattr(prepared, "CHECK", False)  # it compiles every call
    with scope(firm=firm):
        read(firm_id=firm.pk, case_id=case.pk)
        assert len(compiled) == 2  # with two sets of stand-ins, compared
        with CaptureQueriesContext(connection) as queries:
            assert len(read(firm_id=firm.pk, case_id=case.pk)) == 4
        assert len(compiled) == 2
    assert len(queries) == 1


def test_a_shape_argument_is_compiled_apart(firm):
    """A row limit named in ``shapes`` is kept per value, not taken for an id."""
    case = _tasks(firm, MembershipFactory(firm=firm).user)
    read = Prepared(
        Task,
        lambda *, firm_id, case_id, limit: Task.objects.filter(
            case_id=case_id
        ).order_by("id")[:limit],
        shapes=("limit",),
    )
    for limit in (1, 3, 1):
        found = read(firm_id=firm.pk, case_id=case.pk, limit=limit)
        expected = list(Task.objects.filter(case=case).order_by("id")[:limit])
        assert found == expected


def test_a_read_of_nothing_runs_no_statement(firm):
    """A ``none()`` (someone who may see no case) reads nothing, as the ORM does."""
    case = _tasks(firm, MembershipFactory(firm=firm).user)
    read = Prepared(
        Task,
        lambda *, firm_id, case_id, seen: (
            Task.objects.filter(case_id=case_id)
            if seen == "all"
            else Task.objects.filter(case_id=case_id).none()
        ),
    )
    with CaptureQueriesContext(connection) as queries:
        assert read(firm_id=firm.pk, case_id=case.pk, seen="none") == []
        assert read(firm_id=firm.pk, case_id=case.pk, seen="none") == []
    assert len(queries) == 0
    assert len(read(firm_id=firm.pk, case_id=case.pk, seen="all")) == 4


def test_an_id_past_any_column_reads_nothing(firm):
    """A typed URL's huge id: no row, as through the ORM, not a database error."""
    _tasks(firm, MembershipFactory(firm=firm).user)
    task = Task.objects.first()
    assert task is not None
    read = Prepared(Task, lambda *, firm_id, task_id: Task.objects.filter(pk=task_id))
    assert read(firm_id=firm.pk, task_id=task.pk) == [task]  # compiled
    for huge in (10**30, -(10**30), 2**63):
        assert read(firm_id=firm.pk, task_id=huge) == []


def test_a_prefetch_with_its_own_queryset_reads_the_calls_rows(firm, other_firm):
    """A ``Prefetch``'s own queryset is built anew for each call, not kept."""

    def cases(*, firm_id: int, case_id: int) -> Any:
        applicants = CaseApplicant.objects.filter(firm_id=firm_id).order_by("id")
        return Case.objects.filter(pk=case_id).prefetch_related(
            Prefetch("applicants", queryset=applicants)
        )

    read = Prepared(Case, cases)
    for each in (firm, other_firm, firm):
        case = make_case(each)
        with scope(firm=each):
            found = read(firm_id=each.pk, case_id=case.pk)
            with CaptureQueriesContext(connection) as queries:
                rows = list(found[0].applicants.all())
        assert len(queries) == 0
        assert [a.pk for a in rows] == [a.pk for a in case.applicants.order_by("id")]
        assert rows


def test_the_kept_statements_start_again_past_their_limit(firm, monkeypatch):
    monkeypatch.setattr(prepared, "KEPT_PER_READ", 3)
    cases = [_tasks(firm, MembershipFactory(firm=firm).user) for _ in range(2)]
    read = Prepared(Task, _tasks_among)
    ids = [c.pk for c in cases]
    for n in range(1, 8):
        chosen = (ids * 4)[:n] + list(range(10**6, 10**6 + n))
        assert read(firm_id=firm.pk, case_ids=chosen) == list(
            _tasks_among(firm_id=firm.pk, case_ids=chosen)
        )
        assert len(read._kept) <= 3


def test_it_keeps_the_firm_scope(firm, other_firm):
    """Outside the firm's scope a prepared read refuses, as a scoped manager does."""
    case = _tasks(firm, MembershipFactory(firm=firm).user)
    with scope(firm=other_firm), pytest.raises(ScopeError):
        TASKS_OF(firm_id=firm.pk, case_id=case.pk)
    with scope(other="x"), pytest.raises(ScopeError):
        TASKS_OF(firm_id=firm.pk, case_id=case.pk)
    # scopes_disabled (this module's tests run in it) lets it through, as it
    # lets the managers.
    assert len(TASKS_OF(firm_id=firm.pk, case_id=case.pk)) == 4


def test_the_scope_filter_takes_the_firm_argument(firm, other_firm):
    """Built in the firm's scope, the managers' own filter is the argument's.

    Read first in one firm, then in another: the second firm's rows, not the
    first's (the scope's firm was not kept as a constant).
    """
    mine = _tasks(firm, MembershipFactory(firm=firm).user)
    theirs = _tasks(other_firm, MembershipFactory(firm=other_firm).user)
    read = Prepared(
        Task, lambda *, firm_id, case_id: Task.objects.filter(case_id=case_id)
    )
    with scope(firm=firm):
        assert len(read(firm_id=firm.pk, case_id=mine.pk)) == 4
        assert read(firm_id=firm.pk, case_id=theirs.pk) == []
    with scope(firm=other_firm):
        assert len(read(firm_id=other_firm.pk, case_id=theirs.pk)) == 4


def test_the_check_finds_sql_that_is_not_the_orms(firm, monkeypatch):
    """With CHECK on (the test suite's), kept SQL that the ORM would not run fails."""
    case = _tasks(firm, MembershipFactory(firm=firm).user)
    read = Prepared(Task, _tasks_of)
    assert prepared.CHECK
    read(firm_id=firm.pk, case_id=case.pk)
    kept = next(iter(read._kept.values()))
    monkeypatch.setitem(
        read._kept,
        next(iter(read._kept)),
        dataclasses.replace(kept, sql=kept.sql.replace("ASC", "DESC")),
    )
    with pytest.raises(AssertionError, match="kept"):
        read(firm_id=firm.pk, case_id=case.pk)


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            lambda *, firm_id, case_id: Task.objects.filter(case_id=case_id).values(),
            "model rows",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.filter(
                case_id=case_id
            ).select_for_update(),
            "locks",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.using("default").filter(
                case_id=case_id
            ),
            "names its database",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.filter(title=str(case_id)),
            "changed",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.all()[: abs(case_id) % 7],
            "depends on",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.filter(
                due_date=date(2000, 1, 1) + timedelta(days=case_id % 1000)
            ),
            "depends on",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.filter(
                case_id=case_id, **({"title": "x"} if case_id % 2 else {})
            ),
            "depends on",
        ),
        (
            lambda *, firm_id, case_id: Task.objects.filter(case_id=case_id),
            "id, a list",
        ),
    ],
)
def test_what_it_cannot_keep_is_refused(firm, build, reason):
    read = Prepared(Task, build)
    case_id: Any = 5.0 if reason == "id, a list" else 5
    with scope(firm=firm), pytest.raises(NotPreparable, match=reason):
        read(firm_id=firm.pk, case_id=case_id)
