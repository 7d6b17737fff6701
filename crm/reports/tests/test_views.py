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
    rows, owner_client, owner, firm, django_assert_num_queries
):
    """Session, user, membership, summary, tasks, task counts, lead follow-ups,
    case follow-ups with their applicants and contacts, lead pipeline, my cases
    by stage, submissions needing attention, recent activity: 18."""
    from django.utils import timezone

    from crm.cases.tests.factories import make_case

    for _ in range(rows):
        IntroducerFactory(firm=firm)
        make_case(firm, owner=owner.user, follow_up_date=timezone.localdate())
    with django_assert_num_queries(18):
        owner_client.get("/")


def test_dashboard_needs_login(client):
    """Anonymous visitors are sent to the login page."""
    assert client.get("/")["Location"] == "/login/?next=/"


def test_dashboard_lists_my_overdue_case_follow_ups(login, firm, adviser):
    """Open cases of mine with a follow-up due or overdue show on the dashboard (C4)."""
    import datetime

    from django.utils import timezone

    from crm.cases.tests.factories import make_case

    overdue = timezone.localdate() - datetime.timedelta(days=2)
    case = make_case(firm, owner=adviser.user, follow_up_date=overdue)
    make_case(firm, follow_up_date=overdue)  # someone else's
    body = login(adviser).get("/").content.decode()
    assert case.reference in body
    assert "Overdue" in body
