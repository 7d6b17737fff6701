"""The Clients list's FilterSet: one parse for the page and the CSV export."""

import csv
import io

import pytest
from django.http import QueryDict
from django.urls import reverse

from crm.contacts.filters import ContactFilterSet
from crm.contacts.selectors import ContactListQuery
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.http import MAX_ID

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:contact_list")
EXPORT = reverse("contacts:contact_export")


def parse(query: str) -> ContactFilterSet:
    return ContactFilterSet(QueryDict(query))


def test_valid_filters_become_a_typed_query():
    """Every valid filter and the sort land in the typed query."""
    filterset = parse("kind=person&archived=1&q=%20Ada%20&sort=-created")
    assert filterset.query() == ContactListQuery(
        kind="person", archived=True, q="Ada", sort="-created"
    )
    assert filterset.is_filtered is True


def test_no_query_string_is_the_default_query():
    """An unbound FilterSet gives the list's defaults and is not filtered."""
    filterset = ContactFilterSet(None)
    assert filterset.query() == ContactListQuery()
    assert filterset.is_filtered is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=robot", "kind"),
        ("kind=%C2%B2", "kind"),
        ("kind=person%00", "kind"),
        ("archived=true", "archived"),
        (f"archived={MAX_ID + 1}", "archived"),
        ("archived=%00", "archived"),
        ("q=a%00b", "q"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_a_junk_value_is_ignored_with_the_error_on_its_field(query, field):
    """A bad value is left out of the query and its error shows on its field."""
    filterset = parse(f"{query}&sort=-name")
    assert field in filterset.form.errors
    query_ = filterset.query()
    assert query_ == ContactListQuery(
        kind=query_.kind if field != "kind" else "",
        archived=False,
        q=query_.q if field != "q" else "",
        sort="-name",
    )


def test_unknown_sort_falls_back_to_the_default():
    """A sort the list does not know sorts by name."""
    assert parse("sort=password%00").query().sort == "name"


@pytest.mark.parametrize(
    "query", ["kind=robot", "archived=%C2%B2", "q=%00", "sort=-id", "archived=2"]
)
def test_page_and_csv_agree_on_junk_filters(owner_client, firm, query):
    """The page and the CSV list the same active contacts when a filter is junk."""
    ContactFactory(firm=firm, first_name="Ada", last_name="Able")
    OrganisationFactory(firm=firm, organisation_name="Bay Ltd")
    ContactFactory(firm=firm, first_name="Old", last_name="Gone", is_archived=True)
    page = owner_client.get(f"{LIST}?{query}")
    export = owner_client.get(f"{EXPORT}?{query}")
    assert page.status_code == 200
    assert export.status_code == 200
    body = page.content.decode()
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[2] or row[5] for row in rows[1:]] == ["Ada", "Bay Ltd"]
    assert "Ada Able" in body
    assert "Bay Ltd" in body
    assert "Old Gone" not in body


def test_the_error_is_shown_next_to_its_field(owner_client):
    """An invalid type is reported next to its filter, linked by aria-describedby."""
    body = owner_client.get(LIST, {"kind": "robot"}).content.decode()
    assert 'id="id_kind_error"' in body
    assert 'aria-describedby="id_kind_error"' in body
    assert 'aria-invalid="true"' in body


def test_sortable_headers_say_their_order(owner_client, firm):
    """The Name and Added headers sort, and the sorted one carries aria-sort."""
    for _ in range(3):
        ContactFactory(firm=firm)
    body = owner_client.get(LIST, {"sort": "-created"}).content.decode()
    assert 'aria-sort="descending"' in body
    assert 'href="?sort=name"' in body
    assert '<caption class="sr-only">Clients and contacts</caption>' in body
    assert 'id="contact-results-status"' in body
