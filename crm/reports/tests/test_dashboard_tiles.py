"""Dashboard v2 tiles, each registered by the app that owns it (L1)."""

import datetime

import pytest
from django.utils import timezone

from crm.advice.choices import AdviceStatus
from crm.cases.tests.factories import make_case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.tests.factories import make_submission
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.support.choices import ItemKind, PlanStatus
from crm.support.models import PlannedSupport, SupportDetails, SupportItem
from crm.support.tests.factories import make_item, make_plan, make_support_case

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def test_my_cases_by_stage_counts_and_links_to_the_filtered_list(login, firm, adviser):
    """The tile counts my open cases per stage; each stage links to the list."""
    make_case(firm, owner=adviser.user, status=AdviceStatus.MEETING)
    make_case(firm, owner=adviser.user, status=AdviceStatus.MEETING)
    make_case(firm, status=AdviceStatus.CALL_BACK)  # someone else's
    response = login(adviser).get("/")
    assert response.context["my_stages"] == [("meeting", "Meeting", 2)]
    link = f"/cases/?tab=open&amp;owner={adviser.user_id}&amp;status=meeting"
    assert link in response.content.decode()


def test_submissions_needing_attention_lists_rejected_and_failed(
    owner_client, firm, other_firm
):
    """Only each case's latest rejected or failed submission is listed."""
    rejected = make_submission(firm, status=SubmissionStatus.REJECTED)
    make_submission(firm, status=SubmissionStatus.RECEIVED)
    make_submission(firm, status=SubmissionStatus.FAILED, is_latest=False)
    make_submission(other_firm, status=SubmissionStatus.FAILED)
    response = owner_client.get("/")
    assert response.context["attention_submissions"] == [rejected]
    assert rejected.case.reference in response.content.decode()


def test_recent_activity_shows_history_on_my_open_cases(login, firm, adviser):
    """Events on my open cases show, newest first; others' cases stay out."""
    mine = make_case(firm, owner=adviser.user)
    theirs = make_case(firm)
    body = login(adviser).get("/").content.decode()
    assert "Recent activity on my cases" in body
    assert f"{mine.reference}</a>" in body
    assert f"{theirs.reference}</a>" not in body


def test_support_due_lists_planned_support_and_overdue_outcomes(support_firm, login):
    """Plans due within a week and outcomes past the case's end date show."""
    manager = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    case = make_support_case(support_firm, manager=manager.user)
    soon = make_plan(case, "Home visit")
    later = make_plan(case, "Annual review")
    done = make_plan(case, "Done already")
    PlannedSupport.objects.filter(pk=soon.pk).update(
        target_date=_today() + datetime.timedelta(days=3)
    )
    PlannedSupport.objects.filter(pk=later.pk).update(
        target_date=_today() + datetime.timedelta(days=30)
    )
    PlannedSupport.objects.filter(pk=done.pk).update(
        target_date=_today(), status=PlanStatus.COMPLETE
    )
    outcome = make_item(case, kind=ItemKind.OUTCOME, text="Settled home")
    achieved = make_item(case, kind=ItemKind.OUTCOME, text="Debts cleared")
    SupportItem.objects.filter(pk=achieved.pk).update(achieved_on=_today())
    SupportDetails.objects.filter(case=case).update(
        expected_end_date=_today() - datetime.timedelta(days=1)
    )
    response = login(manager).get("/")
    assert response.context["planned_due"] == [soon]
    assert response.context["outcomes_overdue"] == [outcome]
    assert "Settled home" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 6])
def test_support_dashboard_query_count_is_constant(
    rows, support_firm, login, django_assert_num_queries
):
    """Session, user with memberships, summary, tasks, the task tile's three counts,
    my support cases with their details and applicants, plans due, outcomes
    overdue, recent activity, cases out of touch (I14): 14, however many cases
    (16 while the task tile also counted the firm's due and overdue tasks,
    which it never showed)."""
    manager = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    for _ in range(rows):
        case = make_support_case(support_firm, manager=manager.user)
        make_plan(case)
        make_item(case, kind=ItemKind.OUTCOME)
    client = login(manager)
    with django_assert_num_queries(13):
        client.get("/")
