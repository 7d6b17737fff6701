"""Pages by key (``crm.core.keyset``): every row once, in order, both ways."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases import selectors as case_selectors
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core import keyset
from crm.core.pagination import keyset_paginate
from crm.support import selectors as support_selectors
from crm.support import services as support_services
from crm.support.choices import ConcernLevel
from crm.support.tests.factories import make_support_case

pytestmark = pytest.mark.django_db

STATUSES = (AdviceStatus.NEW_LEAD, AdviceStatus.MEETING, AdviceStatus.NEW_LEAD)


@pytest.fixture
def cases(firm):
    """Seven cases with tied statuses, names and dates, and empty follow-ups."""
    twin = ContactFactory(firm=firm, first_name="Ann", last_name="Lee")
    made = []
    for i in range(7):
        client = twin if i % 3 == 0 else ContactFactory(firm=firm)
        follow_up = timezone.localdate() + timedelta(days=i % 2) if i % 3 else None
        made.append(
            make_case(
                firm,
                kind=AdviceKind.PROTECTION,
                status=STATUSES[i % 3],
                applicants=[client],
                follow_up_date=follow_up,
            )
        )
    # Two cases created at the same moment: the id breaks the tie.
    Case.objects.filter(firm=firm, pk__in=[made[1].pk, made[2].pk]).update(
        created_at=made[1].created_at
    )
    return made


def walk(qs, limit):
    """Return the ids of every page forward, then of every page walking back."""
    forward, pages = [], []
    cursor: str | None = ""
    while True:
        part = keyset.fetch(qs, limit=limit, after=cursor or "")
        pages.append(part)
        forward += [row.pk for row in part.rows]
        if part.next_cursor is None:
            break
        cursor = part.next_cursor
    backward = [row.pk for row in pages[-1].rows]
    cursor = pages[-1].previous_cursor
    while cursor:
        part = keyset.fetch(qs, limit=limit, before=cursor)
        backward = [row.pk for row in part.rows] + backward
        cursor = part.previous_cursor
    return forward, backward


@pytest.mark.parametrize("sort", sorted(case_selectors.CASE_SORTS))
def test_every_case_sort_pages_each_row_once_in_order(firm, cases, sort):
    """Forward and back by key, two rows a page, give the whole ordered list."""
    qs = case_selectors.case_list(firm=firm, sort=sort)
    everything = [case.pk for case in qs]
    assert sorted(everything) == sorted(c.pk for c in cases)
    forward, backward = walk(qs, limit=2)
    assert forward == everything
    assert backward == everything


@pytest.mark.parametrize("sort", ["concern", "-concern", "start", "-start"])
def test_support_sorts_page_each_row_once_in_order(support_firm, sort):
    """The support list's own sorts (stored concern rank, start date) page too."""
    for i, level in enumerate([*ConcernLevel, ConcernLevel.HIGH]):
        case = make_support_case(support_firm)
        assert case.owner is not None
        if level != ConcernLevel.LOW:
            support_services.concern_change(
                firm=support_firm, actor=case.owner, case=case, level=level, reason="x"
            )
        if i % 2:
            case.support.start_date = None
            case.support.save(update_fields=["start_date"])
    qs = support_selectors.support_case_list(firm=support_firm, sort=sort)
    everything = [case.pk for case in qs]
    assert len(everything) == 5
    assert walk(qs, limit=2) == (everything, everything)


def test_a_page_says_where_it_is_and_links_both_ways(firm, cases):
    """The second page shows rows 3-4, links back and on, and counts as page 2."""
    qs = case_selectors.case_list(firm=firm)
    first = keyset_paginate(qs, params=QueryDict("tab=all"), per_page=2)
    assert (first.start_index, first.end_index, first.has_previous) == (1, 2, False)
    after = QueryDict(first.next_url[1:])
    assert after["tab"] == "all"
    second = keyset_paginate(qs, params=after, per_page=2)
    assert (second.start_index, second.end_index, second.number) == (3, 4, 2)
    assert second.previous_url == "?tab=all"
    third = keyset_paginate(qs, params=QueryDict(second.next_url[1:]), per_page=2)
    back = keyset_paginate(qs, params=QueryDict(third.previous_url[1:]), per_page=2)
    assert [r.pk for r in back.items] == [r.pk for r in second.items]
    assert back.start_index == 3


def test_a_cursor_not_given_out_opens_the_first_page(firm, cases):
    """Junk, an edited cursor or one of another sort is the first page, not an error."""
    qs = case_selectors.case_list(firm=firm)
    first = keyset_paginate(qs, params=QueryDict(), per_page=2)
    cursor = QueryDict(first.next_url[1:])["after"]
    other = case_selectors.case_list(firm=firm, sort="status")
    for params in (
        {"after": "junk"},
        {"before": cursor[:-2] + "xx"},
        {"after": cursor},  # of the newest-first sort, not the status sort
    ):
        query = QueryDict(mutable=True)
        query.update(params)
        page = keyset_paginate(other, params=query, per_page=2)
        assert page.start_index == 1
        assert page.has_previous is False
    with pytest.raises(keyset.InvalidCursor):
        keyset.fetch(other, limit=2, after=cursor)


def test_an_ordering_not_ending_with_the_id_is_refused(firm):
    """A key must be unique: an ordering that could tie is a programming error."""
    with pytest.raises(ValueError, match="end with the id"):
        keyset.fetch(Case.objects.filter(firm=firm).order_by("status"), limit=2)


@pytest.mark.parametrize("rows", [3, 9])
def test_a_deep_page_of_clients_costs_the_first_page_queries(
    rows, owner_client, firm, django_assert_num_queries
):
    """Following Next makes the same four queries as opening the list."""
    ContactFactory.create_batch(25 + rows, firm=firm)
    body = owner_client.get("/clients/").content.decode()
    found = re.search(r'href="(\?after=[^"]+)" rel="next"', body)
    assert found is not None
    with django_assert_num_queries(3):
        body = owner_client.get("/clients/" + html.unescape(found.group(1))).content
    assert f"Showing 26\u2013{25 + rows}" in body.decode()


def test_a_page_inside_a_tie_seeks_to_its_key(firm, cases):
    """Issue 21 item 2: a cursor inside a run of equal first terms (every case
    here is a protection case, so the kind sort is one long tie) reads from
    the key on: the tied term is an equality and the rest one row comparison,
    a single range of the index, not a filter over every row of the run
    before the key. The page costs the first page's queries."""
    qs = case_selectors.case_list(firm=firm, sort="kind")
    with CaptureQueriesContext(connection) as first_page:
        first = keyset.fetch(qs, limit=2)
    assert first.next_cursor is not None
    with CaptureQueriesContext(connection) as next_page:
        second = keyset.fetch(qs, limit=2, after=first.next_cursor)
    assert len(next_page) == len(first_page)
    where = next_page.captured_queries[0]["sql"].split(" WHERE ", 1)[1]
    assert '"cases_case"."kind_rank" = ' in where
    assert '("cases_case"."created_at", "cases_case"."id") < (' in where
    assert " OR " not in where
    assert [c.pk for c in second.rows] == [c.pk for c in qs][2:4]


def test_the_ranges_after_a_key_follow_the_order(firm):
    """The ranges after an owner key: the owner's later cases, then later
    owners, then the unassigned (NULLs last): each one index range, in turn."""
    qs = case_selectors.case_list(firm=firm, sort="owner")
    found = keyset.terms(qs)
    ranges = keyset.after_key(found, ["Ann Lee", 7])
    assert len(ranges) == 3
    sql = [str(qs.filter(r).query).split(" WHERE ", 1)[1] for r in ranges]
    assert '"owner_sort_name" = Ann Lee AND "cases_case"."id" > 7' in sql[0]
    assert '"owner_sort_name" > Ann Lee' in sql[1]
    assert '"owner_sort_name" IS NULL' in sql[2]
    assert all(" OR " not in part for part in sql)
    unassigned = keyset.after_key(found, [None, 7])
    assert len(unassigned) == 1
