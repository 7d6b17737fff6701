"""The Leads list's FilterSet: a typed query; junk is dropped with its error shown."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from crm.contacts.tests.factories import ContactFactory
from crm.core.http import MAX_ID
from crm.firms.tests.factories import IntroducerFactory
from crm.leads.choices import LeadStatus
from crm.leads.filters import LeadFilterSet
from crm.leads.selectors import LeadListQuery
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

LIST = reverse("leads:lead_list")


def parse(query: str, firm) -> LeadFilterSet:
    return LeadFilterSet(QueryDict(query), firm=firm)


def test_valid_filters_become_a_typed_query(firm, adviser):
    """Every valid filter and the sort land in the typed query."""
    introducer = IntroducerFactory(firm=firm)
    filterset = parse(
        f"status=open&owner={adviser.user_id}&source=website"
        f"&introducer={introducer.pk}&follow_up=due&q=%20Ada%20&sort=-name",
        firm,
    )
    assert filterset.query() == LeadListQuery(
        status="open",
        owner_id=adviser.user_id,
        source="website",
        introducer_id=introducer.pk,
        follow_up="due",
        q="Ada",
        sort="-name",
    )
    assert filterset.is_filtered is True


def test_no_query_string_is_the_default_query(firm):
    """An unbound FilterSet filters nothing and sorts newest first."""
    filterset = LeadFilterSet(None, firm=firm)
    assert filterset.query() == LeadListQuery()
    assert filterset.is_filtered is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("owner=abc", "owner"),
        (f"owner={MAX_ID + 1}", "owner"),
        ("owner=%C2%B2", "owner"),
        ("introducer=1%00", "introducer"),
        ("introducer=-4", "introducer"),
        ("status=lost", "status"),
        ("status=%00", "status"),
        ("source=pigeon", "source"),
        ("follow_up=someday", "follow_up"),
        ("q=a%00b", "q"),
    ],
)
def test_a_junk_value_is_ignored_with_the_error_on_its_field(firm, query, field):
    """A bad value is left out of the query and its error shows on its field."""
    kept = "source=website" if field != "source" else "follow_up=due"
    filterset = parse(f"{query}&{kept}", firm)
    query_ = filterset.query()
    assert field in filterset.form.errors
    assert getattr(
        query_, {"owner": "owner_id", "introducer": "introducer_id"}.get(field, field)
    ) in (None, "")
    assert (query_.source, query_.follow_up) in {("website", ""), ("", "due")}


def test_unknown_sort_falls_back_to_newest_first(firm):
    """A sort the list does not know sorts newest first."""
    assert parse("sort=%00", firm).query().sort == "-created"


@pytest.mark.parametrize(
    "query", ["owner=abc", f"introducer={MAX_ID + 1}", "status=%C2%B2", "q=%00"]
)
def test_a_junk_filter_lists_every_lead_with_the_error(adviser_client, firm, query):
    """A junk filter answers 200 with every lead and the error on its field."""
    for name in ("Ada", "Bea", "Cy"):
        LeadFactory(
            contact=ContactFactory(firm=firm, first_name=name, last_name="Test"),
            status=LeadStatus.NEW_LEAD,
        )
    response = adviser_client.get(f"{LIST}?{query}")
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("Ada", "Bea", "Cy"):
        assert f"{name} Test" in body
    assert 'aria-invalid="true"' in body
