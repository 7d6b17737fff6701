"""Pages by key read through statements compiled once (``PreparedPages``).

Every page, forward and back, gives the rows, offsets and cursors that
``keyset.fetch`` gives over the ORM's queryset; a page is one statement and
no compile once its shape is kept; keys the stand-ins cannot take are read
through the ORM. (The suite's ``prepared.CHECK`` also compares each prepared
statement with the ORM's compile of the same page.)
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import ScopeError, scope

from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core import keyset, prepared
from crm.core.keyset_prepared import PreparedPages
from crm.core.prepared import Prepared
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _cases(*, firm_id: int, sort: str, owner_id: int | None = None) -> Any:
    qs = Case.objects.filter(firm_id=firm_id)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.select_related("owner").order_by(*case_selectors.CASE_SORTS[sort])


PAGES = PreparedPages(Case, _cases)


@pytest.fixture
def cases(firm):
    """Nine cases: tied creation times, empty follow-ups and owners, two owners."""
    other = MembershipFactory(firm=firm).user
    made = []
    for i in range(9):
        follow_up = timezone.localdate() + timedelta(days=i % 3) if i % 4 else None
        case = make_case(
            firm, applicants=[ContactFactory(firm=firm)], follow_up_date=follow_up
        )
        if i % 3 == 0:
            case.owner = other if i % 2 else None
            case.save()
        made.append(case)
    Case.objects.filter(pk__in=[made[2].pk, made[3].pk, made[4].pk]).update(
        created_at=made[2].created_at
    )
    return made


def _slice_of(part: keyset.Slice[Any]) -> tuple[Any, ...]:
    """Return a page's rows, offset and cursors' payloads (signed with the time)."""
    return (
        [row.pk for row in part.rows],
        part.offset,
        _payload(part.next_cursor),
        _payload(part.previous_cursor),
    )


def _payload(cursor: str | None) -> Any:
    return signing.loads(cursor, salt=keyset.SALT) if cursor else cursor


def _walk_both(firm, limit: int, **args: Any) -> list[tuple[Any, ...]]:
    """Walk every page forward and back both ways; return the ORM's slices."""
    qs = _cases(firm_id=firm.pk, **args)
    seen = []
    cursors = [("", "")]
    while cursors:
        after, before = cursors.pop()
        expected = keyset.fetch(qs, limit=limit, after=after, before=before)
        with scope(firm=firm):
            found = PAGES.fetch(
                firm_id=firm.pk, limit=limit, after=after, before=before, **args
            )
        assert _slice_of(found) == _slice_of(expected)
        assert [r.owner_id for r in found.rows] == [r.owner_id for r in expected.rows]
        seen.append(_slice_of(expected))
        if expected.next_cursor and not before:
            cursors.append((expected.next_cursor, ""))
        if expected.previous_cursor and after:
            cursors.append(("", expected.previous_cursor))
    return seen


@pytest.mark.parametrize("sort", sorted(case_selectors.CASE_SORTS))
def test_every_page_is_the_orm_page(firm, cases, sort):
    """Rows, offsets and both cursors, forward and back, for every case sort."""
    seen = _walk_both(firm, 2, sort=sort)
    walked = {pk for rows, *_ in seen for pk in rows}
    assert walked == {case.pk for case in cases}


def test_an_owner_filter_takes_the_owner_as_an_argument(firm, cases):
    owner_id = cases[3].owner_id
    seen = _walk_both(firm, 1, sort="-created", owner_id=owner_id)
    assert {pk for rows, *_ in seen for pk in rows} == {cases[3].pk}


def _compiles(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = SQLCompiler.as_sql

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return calls


def test_a_kept_page_is_one_statement_and_no_compile(firm, cases, monkeypatch):
    monkeypatch.setattr(prepared, "CHECK", False)
    first = PAGES.fetch(firm_id=firm.pk, limit=3, sort="-created")
    after = first.next_cursor
    assert after
    PAGES.fetch(firm_id=firm.pk, limit=3, after=after, sort="-created")  # kept now
    calls = _compiles(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        part = PAGES.fetch(firm_id=firm.pk, limit=3, after=after, sort="-created")
    assert (len(queries), calls) == (1, [])
    assert [r.pk for r in part.rows] == [c.pk for c in reversed(cases)][3:6]


def test_a_text_key_is_read_through_the_orm(firm, cases, monkeypatch):
    """A client name in the key would be compiled once per name: the ORM reads it."""
    monkeypatch.setattr(prepared, "CHECK", False)
    first = PAGES.fetch(firm_id=firm.pk, limit=2, sort="client")
    assert first.next_cursor
    calls = _compiles(monkeypatch)
    PAGES.fetch(firm_id=firm.pk, limit=2, after=first.next_cursor, sort="client")
    assert calls  # compiled by the ORM, as keyset.fetch does


def test_a_rank_too_small_for_the_stand_ins_is_read_through_the_orm(
    firm, cases, monkeypatch
):
    """status_rank is a small positive column: a stand-in there is no row to the ORM."""
    monkeypatch.setattr(prepared, "CHECK", False)
    first = PAGES.fetch(firm_id=firm.pk, limit=2, sort="status")
    calls = _compiles(monkeypatch)
    after = first.next_cursor or ""
    again = PAGES.fetch(firm_id=firm.pk, limit=2, after=after, sort="status")
    assert calls
    expected = keyset.fetch(
        _cases(firm_id=firm.pk, sort="status"), limit=2, after=after
    )
    assert _slice_of(again) == _slice_of(expected)


def test_a_cursor_not_given_out_opens_the_first_page(firm, cases):
    """Through ``keyset_page``, as ``keyset_paginate`` does."""
    from crm.core.pagination import keyset_page

    params = QueryDict("after=forged")
    with scope(firm=firm):
        page = keyset_page(
            lambda **kw: PAGES.fetch(firm_id=firm.pk, sort="-created", **kw),
            params=params,
            per_page=4,
        )
    assert page.offset == 0
    assert [r.pk for r in page.items] == [c.pk for c in reversed(cases)][:4]


def _created_after(*, firm_id: int, moment: datetime, day: date) -> Any:
    return Case.objects.filter(
        firm_id=firm_id, created_at__gt=moment, created_at__date__lte=day
    ).order_by("id")


def test_moments_are_arguments(firm, cases):
    """A datetime reaches the statement as the database adapts it (text on SQLite)."""
    read = Prepared(Case, _created_after)
    ordered = sorted(cases, key=lambda c: (c.created_at, c.pk))
    moment = ordered[4].created_at
    for when in (moment, moment.astimezone(UTC), datetime(2001, 1, 1, tzinfo=UTC)):
        with scope(firm=firm):
            found = read(firm_id=firm.pk, moment=when, day=timezone.localdate())
        expected = _created_after(
            firm_id=firm.pk, moment=when, day=timezone.localdate()
        )
        assert [c.pk for c in found] == [c.pk for c in expected]
    assert len(read._kept) == 1


def test_another_firm_s_pages_are_refused(firm, other_firm, cases, monkeypatch):
    """In one firm's scope, another firm's list is a ScopeError, prepared or not."""
    monkeypatch.setattr(prepared, "CHECK", False)
    with scope(firm=firm):
        first = PAGES.fetch(firm_id=firm.pk, limit=2, sort="client")
        assert first.next_cursor
        for after in ("", first.next_cursor):  # prepared, then a text key (ORM)
            with pytest.raises(ScopeError):
                PAGES.fetch(firm_id=other_firm.pk, limit=2, after=after, sort="client")
