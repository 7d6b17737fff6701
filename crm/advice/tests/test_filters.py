"""The advice Cases list's FilterSet: one parse for the page, the CSV and the API."""

import csv
import io
from datetime import date

import pytest
from django.http import QueryDict
from django.urls import reverse

from crm.advice.choices import AdviceKind
from crm.advice.filters import CaseFilterSet
from crm.cases.selectors import CaseListQuery
from crm.cases.tests.factories import make_case
from crm.core.http import MAX_ID

pytestmark = pytest.mark.django_db

LIST = reverse("advice:case_list")
EXPORT = reverse("advice:case_export")


def parse(query: str, firm) -> CaseFilterSet:
    return CaseFilterSet(QueryDict(query), firm=firm)


def test_valid_filters_become_a_typed_query(firm, owner):
    """Every valid filter, the tab and the sort land in the typed query."""
    filterset = parse(
        f"kind=mortgage&owner={owner.user_id}&created_from=2026-01-02"
        "&q=%20Ada%20&tab=open&sort=-client",
        firm,
    )
    assert filterset.query() == CaseListQuery(
        tab="open",
        kind="mortgage",
        owner_id=owner.user_id,
        created_from=date(2026, 1, 2),
        q="Ada",
        sort="-client",
    )
    assert filterset.is_filtered is True


def test_no_query_string_is_the_default_query(firm):
    """An unbound FilterSet gives the list's defaults and is not filtered."""
    filterset = CaseFilterSet(None, firm=firm)
    assert filterset.query() == CaseListQuery()
    assert filterset.is_filtered is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("owner=abc", "owner"),
        (f"owner={MAX_ID + 1}", "owner"),
        ("owner=-3", "owner"),
        ("owner=%C2%B2", "owner"),
        ("introducer=1%00", "introducer"),
        ("created_from=2026-02-31", "created_from"),
        ("created_from=99999-01-01", "created_from"),
        ("created_to=%00", "created_to"),
        ("follow_up=someday", "follow_up"),
        ("q=a%00b", "q"),
        ("created_from=2026-03-02&created_to=2026-03-01", "created_to"),
    ],
)
def test_a_junk_value_is_ignored_with_the_error_on_its_field(firm, query, field):
    """A bad value is left out of the query and its error shows on its field."""
    filterset = parse(f"{query}&kind=mortgage", firm)
    query_ = filterset.query()
    assert field in filterset.form.errors
    assert query_.owner_id is None
    assert query_.introducer_id is None
    assert query_.created_to is None
    if field != "kind":
        assert query_.kind == "mortgage"


def test_unknown_tab_and_sort_fall_back_to_defaults(firm):
    """A tab or sort the list does not know opens the default instead."""
    query = parse("tab=%00&sort=password", firm).query()
    assert (query.tab, query.sort) == ("all", "-created")


@pytest.mark.parametrize(
    "query",
    ["owner=abc", f"owner={MAX_ID + 1}", "created_from=2026-13-01", "q=%00", "kind=x"],
)
def test_page_and_csv_agree_on_junk_filters(owner_client, firm, query):
    """The page and the CSV show the same cases when a filter is junk: no 500."""
    mortgage = make_case(firm, kind=AdviceKind.MORTGAGE)
    protection = make_case(firm, kind=AdviceKind.PROTECTION)
    page = owner_client.get(f"{LIST}?{query}&tab=all")
    export = owner_client.get(f"{EXPORT}?{query}&tab=all")
    assert page.status_code == 200
    assert export.status_code == 200
    body = page.content.decode()
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    references = {row[0] for row in rows[1:]}
    assert references == {mortgage.reference, protection.reference}
    assert mortgage.reference in body
    assert protection.reference in body


def test_the_error_is_shown_next_to_its_field(owner_client, firm):
    """An invalid date is reported next to its filter, linked by aria-describedby."""
    body = owner_client.get(LIST, {"created_from": "not-a-date"}).content.decode()
    assert 'id="id_created_from_error"' in body
    assert 'aria-describedby="id_created_from_error"' in body
    assert 'aria-invalid="true"' in body
