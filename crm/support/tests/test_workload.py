"""The Workload page, durations, weekly hours and the bulk reassign (SPEC I13)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import Case, CaseEvent
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions.models import Interaction
from crm.support import selectors, services
from crm.support.choices import SafeguardingEventType
from crm.support.tests.factories import make_support_case
from crm.tasks.models import Task
from crm.tasks.tests.factories import TaskFactory

# A Wednesday: its week runs Monday 7 to Sunday 13 December 2026.
TODAY = datetime.date(2026, 12, 9)
URL = "support:workload"
REASSIGN = "support:workload_reassign"


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def manager(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.MANAGER)


@pytest.fixture
def carla(support_firm):
    return MembershipFactory(
        firm=support_firm, role=Role.ADVISER, weekly_hours=Decimal(10)
    )


@pytest.fixture
def dev(support_firm):
    return MembershipFactory(
        firm=support_firm, role=Role.ADVISER, weekly_hours=Decimal(20)
    )


def row_of(rows, membership):
    return next(r for r in rows if r.user_id == membership.user_id)


def test_rows_count_cases_by_level_and_hours_due_this_week(support_firm, carla):
    """SPEC I13: open cases by concern level; open tasks and planned support due
    this week add their durations; closed cases and done or later work do not."""
    user = carla.user
    high = make_support_case(support_firm, manager=user)
    services.concern_change(
        firm=support_firm, actor=user, case=high, level="high", reason="Eviction"
    )
    make_support_case(support_firm, manager=user)
    closed = make_support_case(support_firm, manager=user)
    services.support_case_close(
        firm=support_firm, actor=user, case=closed, reason="Done", open_work="leave"
    )
    TaskFactory(firm=support_firm, assignee=user, due_date=TODAY, duration_minutes=240)
    TaskFactory(
        firm=support_firm,
        assignee=user,
        due_date=TODAY + datetime.timedelta(days=7),
        duration_minutes=600,
    )
    TaskFactory(
        firm=support_firm,
        assignee=user,
        due_date=TODAY,
        duration_minutes=600,
        status="done",
    )
    services.plan_add(
        firm=support_firm,
        actor=user,
        case=high,
        data=services.PlanData(
            description="Visit", target_date=TODAY, duration_minutes=270
        ),
    )
    row = row_of(selectors.workload_rows(firm=support_firm, today=TODAY), carla)
    assert row.open_cases == 2
    assert [(level, n) for level, _label, n in row.by_level] == [
        ("low", 1),
        ("medium", 0),
        ("high", 1),
        ("urgent", 0),
    ]
    assert row.planned_hours == Decimal("8.5")
    assert row.percent == 85
    assert row.state == "near"


def test_capacity_states(support_firm):
    """SPEC I13: >= 85% of available hours is near capacity, above 100% over, and
    no weekly hours set is unknown rather than a division by zero."""
    row = selectors.WorkloadRow(user_id=1, name="A", available=Decimal(10))
    row.task_minutes = 6 * 60
    assert row.state == "ok"
    row.task_minutes = 9 * 60
    assert row.state == "near"
    row.task_minutes = 11 * 60
    assert (row.state, row.bar) == ("over", 100)
    assert selectors.WorkloadRow(user_id=2, name="B", available=None).state == (
        "unknown"
    )


@pytest.mark.parametrize("n", [1, 3])
def test_page_query_count_is_constant(
    login, support_firm, manager, n, django_assert_num_queries
):
    """SPEC I13: the Workload page costs the same queries for 1 or 3 case
    managers, each with cases, tasks and planned support."""
    for _ in range(n):
        member = MembershipFactory(
            firm=support_firm, role=Role.ADVISER, weekly_hours=Decimal(30)
        )
        case = make_support_case(support_firm, manager=member.user)
        TaskFactory(
            firm=support_firm, assignee=member.user, case=case, duration_minutes=60
        )
        services.plan_add(
            firm=support_firm,
            actor=member.user,
            case=case,
            data=services.PlanData(
                description="Call",
                target_date=timezone.localdate(),
                duration_minutes=30,
            ),
        )
    client = login(manager)
    # session, user with memberships; members, cases by level, task and plan
    # minutes; the page of cases and their applicants; the reassign picker
    with django_assert_num_queries(9):
        response = client.get(reverse(URL))
    assert response.status_code == 200


def test_page_warns_of_near_capacity_and_lists_cases_to_tick(
    login, support_firm, manager, carla
):
    """SPEC I13: the page names who is near capacity and lists open cases with a
    labelled checkbox each."""
    case = make_support_case(support_firm, manager=carla.user, title="Rent arrears")
    TaskFactory(
        firm=support_firm,
        assignee=carla.user,
        due_date=timezone.localdate(),
        duration_minutes=9 * 60,
    )
    with time_machine.travel(timezone.now(), tick=False):
        body = text(login(manager).get(reverse(URL)))
    assert f"{carla.user.full_name} is near capacity (90%)" in body
    assert "Near capacity</span>" in body
    assert f'id="case-{case.pk}"' in body
    assert re.search(rf'<label for="case-{case.pk}"[^>]*>{case.reference}', body)


def test_empty_firm_says_so(login, support_firm, manager):
    """SPEC I13: with no open cases the page says so instead of an empty table."""
    body = text(login(manager).get(reverse(URL)))
    assert "There are no open support cases." in body


def test_advisers_cannot_open_the_page(login, support_firm, carla):
    """SPEC I13: the Workload page is for managers (manage members)."""
    assert login(carla).get(reverse(URL)).status_code == 403
    assert login(carla).post(reverse(REASSIGN)).status_code == 403


def test_reassign_moves_each_case_with_history_and_audit(
    support_firm, manager, carla, dev
):
    """SPEC I13: a bulk reassign moves every ticked case in one go and records a
    history entry and an audit row per case."""
    cases = [make_support_case(support_firm, manager=carla.user) for _ in range(3)]
    moved = services.cases_reassign(
        firm=support_firm,
        actor=manager.user,
        case_ids=[c.pk for c in cases[:2]],
        case_manager=dev.user,
        reason="Rebalancing",
    )
    assert {c.pk for c in moved} == {cases[0].pk, cases[1].pk}
    owners = dict(
        Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("pk", "owner_id")
    )
    assert owners == {
        cases[0].pk: dev.user_id,
        cases[1].pk: dev.user_id,
        cases[2].pk: carla.user_id,
    }
    entries = CaseEvent.objects.filter(type=SafeguardingEventType.REASSIGNED)
    assert [e.parameters["reason"] for e in entries] == ["Rebalancing"] * 2
    audits = AuditEvent.objects.filter(
        verb=AuditVerb.UPDATE, object_id__in=[str(c.pk) for c in cases[:2]]
    )
    assert audits.count() == 2


def test_reassign_is_all_or_nothing(support_firm, other_firm, manager, carla, dev):
    """SPEC I13: one case of another firm (or closed) refuses the whole batch."""
    mine = make_support_case(support_firm, manager=carla.user)
    theirs = make_support_case(other_firm)
    with pytest.raises(ApplicationError, match="closed or no longer in this firm"):
        services.cases_reassign(
            firm=support_firm,
            actor=manager.user,
            case_ids=[mine.pk, theirs.pk],
            case_manager=dev.user,
        )
    mine.refresh_from_db()
    assert mine.owner_id == carla.user_id


def test_reassign_refuses_a_member_who_may_not_own(support_firm, manager, carla):
    """SPEC I13: cases go only to a member who may own them."""
    reader = MembershipFactory(firm=support_firm, role=Role.READ_ONLY)
    case = make_support_case(support_firm, manager=carla.user)
    with pytest.raises(ApplicationError, match="may edit cases"):
        services.cases_reassign(
            firm=support_firm,
            actor=manager.user,
            case_ids=[case.pk],
            case_manager=reader.user,
        )


def test_reassign_view_moves_cases_and_keeps_ticks_on_error(
    login, support_firm, manager, carla, dev
):
    """SPEC I13: the form posts ticked ids; with no case manager chosen it says
    so and keeps the ticks; chosen, it moves them and says how many."""
    a = make_support_case(support_firm, manager=carla.user)
    b = make_support_case(support_firm, manager=carla.user)
    client = login(manager)
    refused = client.post(reverse(REASSIGN), {"cases": [a.pk, b.pk]})
    page = text(refused)
    assert refused.status_code == 200
    assert "Choose the case manager to give the cases to." in page
    assert re.search(rf'value="{a.pk}"\s+id="case-{a.pk}"\s+checked', page)
    junk = client.post(reverse(REASSIGN), {"cases": ["x", "-1"], "case_manager": "z"})
    assert junk.status_code == 200
    done = client.post(
        reverse(REASSIGN) + f"?owner={carla.user_id}",
        {"cases": [a.pk, b.pk], "case_manager": dev.user_id},
        follow=True,
    )
    assert done.redirect_chain[0][0] == reverse(URL) + f"?owner={carla.user_id}"
    assert f"2 cases given to {dev.user}." in text(done)
    assert set(Case.objects.filter(owner=dev.user).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
    }


def test_durations_are_saved_from_the_forms(login, support_firm, manager):
    """SPEC I13: interactions, tasks and planned support take an optional
    duration in minutes, and the case page shows it."""
    case = make_support_case(support_firm, manager=manager.user)
    kind = InteractionTypeFactory(firm=support_firm, name="Home visit")
    client = login(manager)
    client.post(
        reverse("interactions:interaction_create"),
        {
            "case": case.pk,
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "interaction_type": kind.pk,
            "duration_minutes": "45",
            "notes": "Visited.",
        },
    )
    assert Interaction.objects.get(case=case).duration_minutes == 45
    client.post(
        reverse("tasks:task_create") + f"?case={case.pk}",
        {
            "title": "Call",
            "priority": "normal",
            "duration_minutes": "30",
            "case": case.pk,
        },
    )
    assert Task.objects.get(case=case).duration_minutes == 30
    bad = client.post(
        reverse("support:plan_create", args=[case.pk]),
        {"description": "Budget", "status": "planned", "duration_minutes": "-5"},
    )
    assert bad.status_code == 200
    assert 'value="-5"' in text(bad)
    body = text(client.get(case.get_absolute_url()))
    assert "45 min" in body


def test_weekly_hours_are_set_on_the_member_page(login, support_firm, manager, carla):
    """SPEC I13: a manager sets a member's weekly hours; the audit log keeps it."""
    url = reverse("firms:member_edit", args=[carla.pk])
    response = login(manager).post(url, {"role": Role.ADVISER, "weekly_hours": "22.5"})
    assert response.status_code == 302
    carla.refresh_from_db()
    assert carla.weekly_hours == Decimal("22.5")
    bad = login(manager).post(url, {"role": Role.ADVISER, "weekly_hours": "200"})
    assert bad.status_code == 200
    assert 'value="200"' in text(bad)
