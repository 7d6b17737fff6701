"""The dashboard (A8, L1 first part)."""

import pytest

from crm.firms.tests.factories import BranchFactory, IntroducerFactory

pytestmark = pytest.mark.django_db


def test_dashboard_greets_member_and_counts_setup(owner_client, firm, owner):
    """The dashboard greets by first name and counts what exists."""
    BranchFactory(firm=firm)
    IntroducerFactory(firm=firm)
    IntroducerFactory(firm=firm)
    response = owner_client.get("/")
    body = response.content.decode()
    assert f", {owner.user.first_name}</h1>" in body
    assert response.context["summary"]["introducers"] == 2
    assert response.context["summary"]["branches"] == 1
    assert response.context["summary"]["members"] == 1


def test_dashboard_counts_only_own_firm(owner_client, other_firm):
    """Another firm's rows never reach the counts."""
    IntroducerFactory(firm=other_firm)
    assert owner_client.get("/").context["summary"]["introducers"] == 0


@pytest.mark.parametrize("rows", [3, 6])
def test_dashboard_query_count_is_constant(
    rows, owner_client, firm, django_assert_num_queries
):
    """Session, user, membership, summary, tasks, task counts, follow-ups, pipeline."""
    for _ in range(rows):
        IntroducerFactory(firm=firm)
    with django_assert_num_queries(8):
        owner_client.get("/")


def test_dashboard_needs_login(client):
    """Anonymous visitors are sent to the login page."""
    assert client.get("/")["Location"] == "/login/?next=/"
