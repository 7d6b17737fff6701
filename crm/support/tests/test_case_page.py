"""A support case's page: header, sidebar, sections and history (SPEC I1-I9, D4)."""

import datetime
import html
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions import services as interaction_services
from crm.support import services
from crm.support.choices import Duration, ItemKind, PlanStatus
from crm.support.models import OpenPeriod
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_pathway,
    make_plan,
    make_referral_out,
    make_scale,
    make_scores,
    make_support_case,
)
from crm.tasks.tests.factories import TaskFactory


def text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


@pytest.fixture
def sowner(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def reader(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.READ_ONLY)


@pytest.fixture
def case(support_firm, sowner):
    beneficiary = ContactFactory(
        firm=support_firm, first_name="Ada", last_name="Byron", email="ada@example.org"
    )
    return make_support_case(
        support_firm,
        beneficiary=beneficiary,
        manager=sowner.user,
        title="Tenancy at risk",
        note="Referred by the council.",
        pathway=make_pathway(support_firm, "Housing Support"),
    )


def test_page_shows_header_and_overview(login, sowner, case):
    """I1, D4: reference, title, Open, beneficiary with contact details, manager,
    start date, duration, pathway, concern level, days open and notes."""
    body = text(login(sowner).get(case.get_absolute_url()))
    assert f"{case.reference}: Tenancy at risk" in body
    assert '<span class="badge badge--green">Open</span>' in body
    contact_id = case.applicants.get().contact_id
    assert reverse("contacts:contact_detail", args=[contact_id]) in body
    assert "Ada Byron" in body
    assert "ada@example.org" in body
    assert escape(str(sowner.user)) in body
    assert timezone.localdate().strftime("%-d %b %Y") in body
    assert "Open-ended" in body
    assert "Housing Support" in body
    assert 'badge--concern-low">Low<' in body
    assert "0 days" in body
    assert "Referred by the council." in body


def test_fixed_duration_shows_expected_end(login, sowner, support_firm):
    """I1: a Fixed case shows its expected end date."""
    case = make_support_case(
        support_firm,
        manager=sowner.user,
        start_date=datetime.date(2026, 1, 5),
        duration=Duration.FIXED,
        expected_end_date=datetime.date(2026, 6, 30),
    )
    body = text(login(sowner).get(case.get_absolute_url()))
    assert "Fixed" in body
    assert "expected to end 30 Jun 2026" in body


def test_sidebar_offers_case_actions_to_editors(login, sowner, case):
    """D4, I8: an editor sees Edit, Change concern level, Add task and Close case
    in a labelled aside; Add task links to a task for this case."""
    body = text(login(sowner).get(case.get_absolute_url()))
    assert '<aside class="card support-layout__aside" aria-labelledby=' in body
    for name in ("case_edit", "concern_change", "case_close"):
        assert reverse(f"support:{name}", args=[case.pk]) in body
    for label in (">Edit<", ">Change concern level<", ">Add task<", ">Close case<"):
        assert label in body
    here = quote(case.get_absolute_url(), safe="")
    assert f"{reverse('tasks:task_create')}?case={case.pk}&next={here}" in body
    assert f"{reverse('interactions:interaction_create')}?case={case.pk}" in body
    assert "Reopen case" not in body


def test_read_only_member_sees_no_controls(login, reader, case):
    """D4: a read-only member sees the case but no actions or add boxes."""
    make_item(case)
    body = text(login(reader).get(case.get_absolute_url()))
    assert "Stable housing" in body
    assert "You can view this case but not change it." in body
    for absent in ("Close case", "Add planned support", "Link external service"):
        assert absent not in body
    assert reverse("support:item_add", args=[case.pk]) not in body


def test_closed_case_is_read_only_with_reopen(login, sowner, case):
    """I3: a closed case says so, keeps its manager, hides every control and
    offers Reopen case."""
    make_item(case, ItemKind.OUTCOME, "Keeps tenancy")
    plan = make_plan(case)
    link = make_link(case)
    services.support_case_close(firm=case.firm, actor=sowner.user, case=case)
    body = text(login(sowner).get(case.get_absolute_url()))
    assert "This case is closed." in body
    assert '<span class="badge">Closed</span>' in body
    assert escape(str(sowner.user)) in body
    assert reverse("support:case_reopen", args=[case.pk]) in body
    assert "Reopen case" in body
    for absent in (
        reverse("support:item_add", args=[case.pk]),
        reverse("support:plan_edit", args=[plan.pk]),
        reverse("support:service_unlink", args=[link.pk]),
        "Add planned support",
        "Link external service",
        "Mark achieved",
        "Close case",
        "Add task",
    ):
        assert absent not in body
    assert "Keeps tenancy" in body


def test_empty_sections_say_so(login, sowner, case):
    """D4: every section has an empty state."""
    body = text(login(sowner).get(case.get_absolute_url()))
    for empty in (
        "No client needs recorded yet.",
        "No desired outcomes recorded yet.",
        "No planned support yet.",
        "No external services linked yet.",
        "No interactions logged yet.",
        "No tasks for this case yet.",
        "The concern level has not changed since the case was opened.",
    ):
        assert empty in body


def test_sections_list_their_rows(login, sowner, case):
    """I4-I8: needs, achieved outcomes, overdue plans, services, interactions
    (touchpoints named) and tasks are listed with their details."""
    firm, user = case.firm, sowner.user
    make_item(case, ItemKind.NEED, "Debt advice")
    outcome = make_item(case, ItemKind.OUTCOME, "Keeps tenancy")
    services.outcome_set_achieved(
        firm=firm, actor=user, item=outcome, achieved_on=datetime.date(2026, 2, 3)
    )
    late = services.plan_add(
        firm=firm,
        actor=user,
        case=case,
        data=services.PlanData(
            description="Budget plan",
            target_date=timezone.localdate() - datetime.timedelta(days=2),
            lead=user,
            status=PlanStatus.IN_PROGRESS,
        ),
    )
    services.plan_add(
        firm=firm,
        actor=user,
        case=case,
        data=services.PlanData(
            description="Done already",
            target_date=timezone.localdate() - datetime.timedelta(days=2),
            status=PlanStatus.COMPLETE,
        ),
    )
    gp = OrganisationFactory(firm=firm, organisation_name="Riverside Surgery")
    services.service_link(
        firm=firm, actor=user, case=case, contact=gp, role="GP", note="Rang them."
    )
    interaction_services.interaction_log(
        firm=firm,
        actor=user,
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        interaction_type=InteractionTypeFactory(firm=firm, name="Home visit"),
        notes="Visited at home.",
        case=case,
    )
    task = TaskFactory(firm=firm, case=case, title="Call the landlord", assignee=user)
    body = text(login(sowner).get(case.get_absolute_url()))
    assert "Debt advice" in body
    assert "Achieved 3 Feb 2026" in body
    assert f'aria-label="Edit planned support: {late.description}"' in body
    assert body.count(">Overdue<") == 1
    assert reverse("support:plan_delete", args=[late.pk]) in body
    assert "In Progress" in body
    assert gp.get_absolute_url() in body
    assert "Touchpoint with" in body
    assert body.index("Rang them.") < body.index("Visited at home.")
    assert "Home visit" in body
    assert task.get_absolute_url() in body
    assert "Call the landlord" in body


def test_concern_history_and_case_history(login, sowner, case):
    """I9, D4: concern changes show from, to, reason and who; the History card
    describes support events in words."""
    firm, user = case.firm, sowner.user
    services.concern_change(
        firm=firm, actor=user, case=case, level="high", reason="Eviction notice"
    )
    item = make_item(case, ItemKind.NEED, "Food bank referral")
    services.item_remove(firm=firm, actor=user, item=item)
    plan = make_plan(case, "Weekly call")
    services.plan_update(
        firm=firm,
        actor=user,
        plan=plan,
        data=services.PlanData(description="Weekly call", status=PlanStatus.COMPLETE),
    )
    make_link(case, role="Solicitor")
    body = text(login(sowner).get(case.get_absolute_url()))
    assert "Concern level changed: Low → High" in body
    assert "Reason: Eviction notice" in body
    assert "Client need added: Food bank referral" in body
    assert "Client need removed: Food bank referral" in body
    assert "Planned support updated: Weekly call" in body
    assert "<strong>Status</strong>" in body
    assert "<del>Planned</del>" in body
    assert "<ins>Complete</ins>" in body
    assert "(Solicitor)" in body
    assert "Case opened" in body


def test_days_open_add_up_across_reopens(login, sowner, case):
    """I3: days open count every open period, not just the latest."""
    now = timezone.now()
    services.support_case_close(firm=case.firm, actor=sowner.user, case=case)
    OpenPeriod.objects.filter(case=case).update(
        opened_at=now - datetime.timedelta(days=10),
        closed_at=now - datetime.timedelta(days=6),
    )
    services.support_case_reopen(
        firm=case.firm, actor=sowner.user, case=case, reason="Back again"
    )
    OpenPeriod.objects.filter(case=case, closed_at=None).update(
        opened_at=now - datetime.timedelta(days=3, hours=1)
    )
    body = text(login(sowner).get(case.get_absolute_url()))
    assert "7 days" in body
    assert "Case reopened" in body
    assert "Reason: Back again" in body


def test_other_firms_case_is_not_found(login, sowner, other_firm):
    """T4: another firm's support case answers 404."""
    theirs = make_support_case(other_firm)
    assert login(sowner).get(theirs.get_absolute_url()).status_code == 404


def test_firm_without_support_module_gets_404(login, owner, case):
    """A firm without the Support module has no support pages."""
    assert login(owner).get(case.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("rows", [1, 4])
def test_page_query_count_is_constant(
    login, sowner, case, rows, django_assert_num_queries
):
    """D4: the page runs a fixed number of queries however full its sections."""
    firm, user = case.firm, sowner.user
    kind = InteractionTypeFactory(firm=firm)
    for i in range(rows):
        make_item(case, ItemKind.NEED, f"Need {i}")
        make_item(case, ItemKind.OUTCOME, f"Outcome {i}")
        services.plan_add(
            firm=firm,
            actor=user,
            case=case,
            data=services.PlanData(description=f"Plan {i}", lead=user),
        )
        make_link(case, role=f"Role {i}")
        interaction_services.interaction_log(
            firm=firm,
            actor=user,
            occurred_at=timezone.now(),
            interaction_type=kind,
            notes=f"Note {i}",
            case=case,
        )
        TaskFactory(firm=firm, case=case, assignee=user)
        services.concern_change(
            firm=firm,
            actor=user,
            case=case,
            level="high" if i % 2 == 0 else "low",
            reason="Changed",
        )
        make_scores(case, make_scale(firm, areas=("Money", "Home")), point="review")
        make_referral_out(case)
    client = login(sowner)
    # session, user with memberships; case, applicants; items, plans, open periods,
    # services, interactions, tasks; details, pathway; history; score sets,
    # their scores and their scales' areas; referrals out and their updates;
    # and, for a High case (one row), the safeguarding view log's insert (I14)
    logged = 1 if rows == 1 else 0
    with django_assert_num_queries(18 + logged):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
