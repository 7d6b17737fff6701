"""The handover summary (SPEC I15): one printable page built from a case's records."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions import services as interaction_services
from crm.support import services
from crm.support.choices import ItemKind, PartnerAction, PlanStatus, Scorer
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_referral_out,
    make_scale,
    make_scores,
    make_support_case,
)
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sowner(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def case(support_firm, sowner):
    beneficiary = ContactFactory(firm=support_firm, first_name="Ada", last_name="Byron")
    return make_support_case(
        support_firm, beneficiary=beneficiary, manager=sowner.user, title="Tenancy"
    )


def url(case):
    return reverse("support:case_handover", kwargs={"case_id": case.pk})


def fill(case, user, rows):
    """Give the case ``rows`` of every record the summary reads."""
    firm = case.firm
    kind = InteractionTypeFactory(firm=firm, name="Phone call")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for i in range(rows):
        make_item(case, ItemKind.NEED, f"Need {i}")
        make_item(case, ItemKind.OUTCOME, f"Outcome {i}")
        services.plan_add(
            firm=firm,
            actor=user,
            case=case,
            data=services.PlanData(description=f"Plan {i}", lead=user),
        )
        services.plan_add(
            firm=firm,
            actor=user,
            case=case,
            data=services.PlanData(
                description=f"Done plan {i}", status=PlanStatus.COMPLETE
            ),
        )
        make_link(case, role=f"Role {i}")
        referral, _token = make_referral_out(case)
        services.referral_out_respond(
            firm=firm,
            referral=referral,
            action=PartnerAction.ACCEPT,
            key=referral.action_key,
            text=f"Seen {i}",
        )
        interaction_services.interaction_log(
            firm=firm,
            actor=user,
            occurred_at=timezone.now() - datetime.timedelta(hours=i),
            interaction_type=kind,
            notes=f"Call {i}",
            case=case,
        )
        TaskFactory(
            firm=firm, case=case, assignee=user, title=f"Late {i}", due_date=yesterday
        )
        TaskFactory(firm=firm, case=case, assignee=user, title=f"Not yet {i}")
        services.concern_change(
            firm=firm,
            actor=user,
            case=case,
            level="high" if i % 2 == 0 else "medium",
            reason=f"Reason {i}",
        )
        scale = make_scale(firm, name=f"Scale {i}")
        make_scores(case, scale, value=3, point="start")
        make_scores(case, scale, value=6, point="review")
        make_scores(case, scale, value=4, point="start", scorer=Scorer.BENEFICIARY)


def test_summary_shows_each_part_linked_to_its_record(login, sowner, case):
    """SPEC I15: every part is there, each line a link to the record it came from."""
    fill(case, sowner.user, 3)
    page = login(sowner).get(url(case))

    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    plan = case.planned_support.get(description="Plan 0")
    assert reverse("support:plan_edit", kwargs={"plan_id": plan.pk}) in text
    assert "Done plan 0" not in text  # complete plans are not open work
    task = Task.objects.get(firm=case.firm, title="Late 0")
    assert task.get_absolute_url() in text
    assert "Not yet 0" not in text
    referral = case.referrals_out.first()
    assert f"#referral-out-{referral.pk}" in text
    assert "Accepted" in text
    assert "Seen" in text
    assert "Low → High → Medium → High" in " ".join(text.split())
    assert "(Rising)" in text
    assert "Call 0" in text
    assert "Need 2" in text
    assert "Outcome 1" in text
    assert "Scale 0" in text
    assert "case manager 6" in text
    assert "+3.0 since start" in text
    assert "beneficiary 4" in text
    assert "data-print" in text
    assert "css/print.css" in text


def test_summary_lists_only_the_last_five_interactions(login, sowner, case):
    """SPEC I15: the newest five interactions, not older ones."""
    kind = InteractionTypeFactory(firm=case.firm)
    for i in range(6):
        interaction_services.interaction_log(
            firm=case.firm,
            actor=sowner.user,
            occurred_at=timezone.now() - datetime.timedelta(days=i),
            interaction_type=kind,
            notes=f"Visit number {i}",
            case=case,
        )

    text = login(sowner).get(url(case)).content.decode()

    assert "Visit number 4" in text
    assert "Visit number 5" not in text


def test_empty_case_says_so_in_each_part(login, sowner, case):
    """A new case's summary has an empty state for every part."""
    text = html.unescape(login(sowner).get(url(case)).content.decode())

    for empty in (
        "No open planned support.",
        "No overdue tasks.",
        "No external services linked.",
        "No interactions logged yet.",
        "No client needs recorded.",
        "No outcome scores recorded.",
        "has not changed since the case was opened",
    ):
        assert empty in text


def test_read_only_member_sees_the_summary_with_case_links(login, support_firm, case):
    """A read-only member may read it; plans link to the case, not the edit form."""
    fill(case, case.owner, 1)
    reader = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)

    text = login(reader).get(url(case)).content.decode()

    assert "#planned-support" in text
    assert (
        "/edit/" not in text.split("handover-plans-heading")[1].split("</section>")[0]
    )


@pytest.mark.parametrize("rows", [1, 4])
def test_summary_query_count_is_constant(
    login, sowner, case, rows, django_assert_num_queries
):
    """SPEC I15: a fixed number of queries however full the case."""
    fill(case, sowner.user, rows)
    client = login(sowner)
    # session, user with memberships; case, applicants, details (+ pathway);
    # beneficiary; plans, overdue tasks, services, referrals and their updates,
    # concern changes, last interactions, needs and outcomes, latest scores
    with django_assert_num_queries(15):
        response = client.get(url(case))
    assert response.status_code == 200
