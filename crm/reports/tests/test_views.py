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
    """Session, user with memberships, summary, tasks, the task tile's three counts,
    lead follow-ups, case follow-ups with their applicants and contacts, lead
    pipeline, my cases by stage, submissions needing attention, recent
    activity, complaints due this week and their counts (the owner manages
    complaints): 18 (20 while the task tile also counted the firm's due and
    overdue tasks, which it never showed)."""
    from django.utils import timezone

    from crm.cases.tests.factories import make_case

    for _ in range(rows):
        IntroducerFactory(firm=firm)
        make_case(firm, owner=owner.user, follow_up_date=timezone.localdate())
    with django_assert_num_queries(17):
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


def test_what_you_can_do_lists_only_permissions_that_do_something(login, firm):
    """A read-only member is told, in plain words, only what they can really do.

    "View reports" opens the Reports pages, so it is listed; "View own cases
    only" adds nothing to "View all cases"; the labels are sentences, not
    permission names.
    """
    from crm.firms.choices import Perm, Role
    from crm.firms.tests.factories import MembershipFactory

    reader = MembershipFactory(
        firm=firm,
        role=Role.READ_ONLY,
        granted=[Perm.VIEW_REPORTS, Perm.VIEW_OWN_CASES],
    )
    labels = login(reader).get("/").context["permission_labels"]
    assert labels == ["See every case in the firm", "See the firm's reports"]


def test_what_you_can_do_leaves_out_advice_permissions_for_a_charity(
    login, support_firm
):
    """A charity's owner is not told they can send cases to Concert Hub."""
    from crm.firms.choices import Role
    from crm.firms.tests.factories import MembershipFactory

    owner = MembershipFactory(firm=support_firm, role=Role.OWNER)
    body = login(owner).get("/").content.decode()
    labels = login(owner).get("/").context["permission_labels"]
    assert "Concert Hub" not in " ".join(labels)
    assert "Invite clients to the portal" not in " ".join(labels)
    assert "Add and change clients, leads, cases, tasks and notes" in labels
    assert "Manage firm settings" not in body
