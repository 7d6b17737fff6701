"""Sections of a support case: needs and outcomes, planned support, external
services, interactions and tasks (I4-I8), and the refusals every write shares.
"""

from collections.abc import Callable
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.contacts.models import ContactEvent
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.models import AuditEvent
from crm.core.permissions import Perm
from crm.firms.choices import Role
from crm.firms.models import InteractionType
from crm.firms.tests.factories import MembershipFactory
from crm.interactions import services as interaction_services
from crm.interactions.choices import InteractionContactEventType, InteractionKind
from crm.interactions.models import Interaction
from crm.support import selectors, services
from crm.support.choices import (
    ItemKind,
    PlanStatus,
    SupportContactEventType,
    SupportEventType,
)
from crm.support.models import ExternalService, PlannedSupport, SupportItem
from crm.support.services.cases import beneficiary_of
from crm.support.tests.factories import (
    make_item,
    make_link,
    make_plan,
    make_support_case,
)
from crm.tasks import selectors as task_selectors
from crm.tasks import services as task_services
from crm.tasks.choices import TaskPriority
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.ADVISER).user


@pytest.fixture
def case(support_firm, user):
    return make_support_case(support_firm, manager=user)


@pytest.fixture
def visit(support_firm):
    return InteractionType.objects.create(firm=support_firm, name="Home visit")


def events(case, type):
    return list(
        CaseEvent.objects.filter(case=case, type=type)
        .order_by("id")
        .values_list("parameters", flat=True)
    )


def audits(firm, verb, obj):
    return AuditEvent.objects.filter(
        firm=firm, verb=verb, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def close(case):
    services.support_case_close(firm=case.firm, actor=case.owner, case=case)


# I4: needs and outcomes


def test_item_add_tidies_the_text_and_records_it(support_firm, user, case):
    """I4: the typed text is trimmed and its spaces collapsed; history and audit."""
    item = services.item_add(
        firm=support_firm,
        actor=user,
        case=case,
        kind=ItemKind.NEED,
        text="  Somewhere   safe\n to live ",
    )

    assert item.text == "Somewhere safe to live"
    assert item.created_by == user
    assert events(case, SupportEventType.NEED_ADDED) == [
        {"text": "Somewhere safe to live"}
    ]
    assert audits(support_firm, AuditVerb.CREATE, item).exists() is True
    services.item_add(
        firm=support_firm, actor=user, case=case, kind=ItemKind.OUTCOME, text="Housed"
    )
    assert events(case, SupportEventType.OUTCOME_ADDED) == [{"text": "Housed"}]


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        (ItemKind.NEED, "   \n ", "required"),
        (ItemKind.NEED, "x" * 301, "too_long"),
        ("wish", "A holiday", "invalid"),
    ],
)
def test_item_add_refuses_empty_long_or_unknown(
    support_firm, user, case, kind, text, code
):
    """I4: empty text, over 300 characters or an unknown kind is refused."""
    with pytest.raises(ApplicationError) as exc:
        services.item_add(
            firm=support_firm, actor=user, case=case, kind=kind, text=text
        )

    assert exc.value.code == code
    assert SupportItem.objects.filter(case=case).exists() is False


def test_item_add_accepts_exactly_300_characters(support_firm, user, case):
    """I4: 300 characters is the limit, inclusive."""
    item = services.item_add(
        firm=support_firm, actor=user, case=case, kind=ItemKind.NEED, text="y" * 300
    )
    assert len(item.text) == 300


@pytest.mark.parametrize(
    ("kind", "event_type"),
    [
        (ItemKind.NEED, SupportEventType.NEED_REMOVED),
        (ItemKind.OUTCOME, SupportEventType.OUTCOME_REMOVED),
    ],
)
def test_item_remove_keeps_the_text_in_history(
    support_firm, user, case, kind, event_type
):
    """I4: the remove button deletes the entry; history and audit keep its text."""
    item = make_item(case, kind, "Debt advice")
    item_id = item.pk

    services.item_remove(firm=support_firm, actor=user, item=item)

    assert SupportItem.objects.filter(pk=item_id).exists() is False
    assert events(case, event_type) == [{"text": "Debt advice"}]
    audit = AuditEvent.objects.get(
        firm=support_firm, verb=AuditVerb.DELETE, object_id=str(item_id)
    )
    assert audit.changes["text"] == ["Debt advice", None]


def test_outcome_set_achieved_records_the_date_and_can_be_undone(
    support_firm, user, case
):
    """I4: an outcome is achieved on a date (not in the future), or unmarked."""
    outcome = make_item(case, ItemKind.OUTCOME, "Moved into a flat")
    day = timezone.localdate() - timedelta(days=2)

    services.outcome_set_achieved(
        firm=support_firm, actor=user, item=outcome, achieved_on=day
    )
    outcome.refresh_from_db()
    assert outcome.achieved_on == day
    services.outcome_set_achieved(
        firm=support_firm, actor=user, item=outcome, achieved_on=day
    )
    services.outcome_set_achieved(
        firm=support_firm, actor=user, item=outcome, achieved_on=None
    )

    outcome.refresh_from_db()
    assert outcome.achieved_on is None
    assert events(case, SupportEventType.OUTCOME_ACHIEVED) == [
        {"text": "Moved into a flat", "achieved_on": day.isoformat()}
    ]
    assert len(events(case, SupportEventType.OUTCOME_UNACHIEVED)) == 1
    assert audits(support_firm, AuditVerb.UPDATE, outcome).count() == 2


def test_outcome_set_achieved_refuses_the_future_and_needs(support_firm, user, case):
    """I4: a future date is refused, and only desired outcomes are achieved."""
    outcome = make_item(case, ItemKind.OUTCOME, "Back at work")
    need = make_item(case, ItemKind.NEED, "A job")
    with pytest.raises(ApplicationError, match="future"):
        services.outcome_set_achieved(
            firm=support_firm,
            actor=user,
            item=outcome,
            achieved_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ApplicationError, match="Only desired outcomes"):
        services.outcome_set_achieved(
            firm=support_firm, actor=user, item=need, achieved_on=timezone.localdate()
        )
    outcome.refresh_from_db()
    need.refresh_from_db()
    assert outcome.achieved_on is None
    assert need.achieved_on is None


# I5: planned support


def test_plan_add_update_delete_keep_history(support_firm, user, case):
    """I5: add, edit (with a diff) and delete planned support, each recorded."""
    lead = MembershipFactory(firm=support_firm).user
    plan = services.plan_add(
        firm=support_firm,
        actor=user,
        case=case,
        data=services.PlanData(
            description=" Weekly call ", target_date=date(2026, 6, 1), lead=lead
        ),
    )
    assert plan.description == "Weekly call"
    assert plan.status == PlanStatus.PLANNED
    assert events(case, SupportEventType.PLAN_ADDED)[0]["description"] == "Weekly call"
    assert audits(support_firm, AuditVerb.CREATE, plan).exists() is True

    services.plan_update(
        firm=support_firm,
        actor=user,
        plan=plan,
        data=services.PlanData(
            description="Weekly call",
            target_date=date(2026, 6, 1),
            lead=lead,
            status=PlanStatus.IN_PROGRESS,
        ),
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    updated = events(case, SupportEventType.PLAN_UPDATED)
    assert updated == [
        {
            "description": "Weekly call",
            "changes": {"status": [PlanStatus.PLANNED, PlanStatus.IN_PROGRESS]},
        }
    ]
    assert audits(support_firm, AuditVerb.UPDATE, plan).count() == 1

    plan_id = plan.pk
    services.plan_delete(firm=support_firm, actor=user, plan=plan)
    assert PlannedSupport.objects.filter(pk=plan_id).exists() is False
    assert events(case, SupportEventType.PLAN_DELETED) == [
        {"description": "Weekly call"}
    ]
    assert (
        AuditEvent.objects.filter(
            firm=support_firm, verb=AuditVerb.DELETE, object_id=str(plan_id)
        ).count()
        == 1
    )


def test_plan_update_with_nothing_changed_writes_nothing(support_firm, user, case):
    """I5: saving an entry unchanged adds no history."""
    plan = make_plan(case, "Budget review")

    services.plan_update(
        firm=support_firm,
        actor=user,
        plan=plan,
        data=services.PlanData(description="Budget review"),
    )

    assert events(case, SupportEventType.PLAN_UPDATED) == []


def test_plan_needs_a_description_and_an_active_lead(
    support_firm, other_firm, user, case
):
    """I5: the description is required; the lead must be an active member."""
    with pytest.raises(ApplicationError) as exc:
        services.plan_add(
            firm=support_firm,
            actor=user,
            case=case,
            data=services.PlanData(description="  "),
        )
    assert exc.value.extra == {"field": "description"}
    for lead in (
        MembershipFactory(firm=other_firm).user,
        MembershipFactory(firm=support_firm, is_active=False).user,
    ):
        with pytest.raises(ApplicationError, match="active member"):
            services.plan_add(
                firm=support_firm,
                actor=user,
                case=case,
                data=services.PlanData(description="Call", lead=lead),
            )
    with pytest.raises(ApplicationError, match="status"):
        services.plan_add(
            firm=support_firm,
            actor=user,
            case=case,
            data=services.PlanData(description="Call", status="done"),
        )
    assert PlannedSupport.objects.filter(case=case).exists() is False


def test_plan_update_keeps_a_lead_who_has_since_left(support_firm, user, case):
    """I5: an entry led by a former member can still be edited."""
    leaver = MembershipFactory(firm=support_firm)
    plan = services.plan_add(
        firm=support_firm,
        actor=user,
        case=case,
        data=services.PlanData(description="Call", lead=leaver.user),
    )
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])

    services.plan_update(
        firm=support_firm,
        actor=user,
        plan=plan,
        data=services.PlanData(description="Call twice", lead=leaver.user),
    )

    plan.refresh_from_db()
    assert plan.description == "Call twice"


# I6: external services


def test_service_link_with_a_note_logs_a_touchpoint(support_firm, user, case):
    """I6: a link records history and the contact's timeline; a note is a touchpoint."""
    gp = OrganisationFactory(firm=support_firm, organisation_name="Riverside Surgery")

    link = services.service_link(
        firm=support_firm,
        actor=user,
        case=case,
        contact=gp,
        role="  GP  surgery ",
        note="Rang to introduce the case.",
    )

    assert link.role == "GP surgery"
    assert events(case, SupportEventType.SERVICE_LINKED) == [
        {"contact": "Riverside Surgery", "contact_id": gp.pk, "role": "GP surgery"}
    ]
    timeline = ContactEvent.objects.get(
        contact=gp, type=SupportContactEventType.SERVICE_LINKED
    )
    assert case.reference in timeline.summary
    assert timeline.link == case.get_absolute_url()
    touch = Interaction.objects.get(case=case)
    assert touch.kind == InteractionKind.TOUCHPOINT
    assert touch.contact == gp
    assert touch.notes == "Rang to introduce the case."
    assert audits(support_firm, AuditVerb.CREATE, link).exists() is True
    assert selectors.served_cases(firm=support_firm, contact=gp) == [link]


def _principal(*perms: str, user_id: int | None = None) -> Any:
    return SimpleNamespace(has_perm=lambda perm: perm in perms, user_id=user_id)


def test_served_cases_follow_the_case_visibility(support_firm, user, case):
    """I6: a contact's served cases are those of the cases the viewer may see."""
    gp = OrganisationFactory(firm=support_firm)
    colleague = MembershipFactory(firm=support_firm, role=Role.ADVISER).user
    theirs = make_support_case(support_firm, manager=colleague)
    assert theirs.owner_id != user.pk
    links = [
        services.service_link(
            firm=support_firm, actor=user, case=served, contact=gp, role="GP"
        )
        for served in (case, theirs)
    ]

    def served(principal: Any) -> set[int]:
        found = selectors.served_cases(
            firm=support_firm, contact=gp, principal=principal
        )
        return {link.pk for link in found}

    everyone = {link.pk for link in links}
    assert served(None) == everyone
    assert served(_principal(Perm.VIEW_ALL_CASES, user_id=user.pk)) == everyone
    own = _principal(Perm.VIEW_OWN_CASES, user_id=user.pk)
    assert served(own) == {links[0].pk}
    assert served(_principal(user_id=user.pk)) == set()


def test_service_link_without_a_note_logs_no_interaction(support_firm, user, case):
    """I6: the note is optional."""
    services.service_link(
        firm=support_firm,
        actor=user,
        case=case,
        contact=ContactFactory(firm=support_firm),
        role="Solicitor",
        note="   ",
    )
    assert Interaction.objects.filter(case=case).exists() is False


def test_service_link_refusals(support_firm, user, case):
    """I6: role required, not the beneficiary, not twice."""
    contact = ContactFactory(firm=support_firm)

    def link(contact, role="GP"):
        return services.service_link(
            firm=support_firm, actor=user, case=case, contact=contact, role=role
        )

    with pytest.raises(ApplicationError) as exc:
        link(contact, role=" ")
    assert exc.value.extra == {"field": "role"}
    with pytest.raises(ApplicationError, match="under 80") as exc:
        link(contact, role="r" * 81)
    assert exc.value.code == "too_long"
    with pytest.raises(ApplicationError, match="their own"):
        link(beneficiary_of(case))
    link(contact)
    with pytest.raises(ApplicationError, match="already linked") as exc:
        link(contact, role="Solicitor")
    assert exc.value.code == "duplicate"
    assert ExternalService.objects.filter(case=case).count() == 1


def test_service_unlink_records_who_it_was(support_firm, user, case):
    """I6: unlinking deletes the link; history keeps the contact and role."""
    link = make_link(case, role="Housing officer")
    contact = link.contact
    link_id = link.pk

    services.service_unlink(firm=support_firm, actor=user, link=link)

    assert ExternalService.objects.filter(pk=link_id).exists() is False
    assert events(case, SupportEventType.SERVICE_UNLINKED) == [
        {
            "contact": contact.display_name,
            "contact_id": contact.pk,
            "role": "Housing officer",
        }
    ]
    assert AuditEvent.objects.filter(
        firm=support_firm, verb=AuditVerb.DELETE, object_id=str(link_id)
    ).exists()


# I7: interactions on a case


def test_interaction_on_a_case_is_about_the_beneficiary(
    support_firm, user, case, visit
):
    """I7: the entry is on the case and the beneficiary's record, newest first."""
    now = timezone.now()
    older = interaction_services.interaction_log(
        firm=support_firm,
        actor=user,
        occurred_at=now - timedelta(days=3),
        interaction_type=visit,
        notes="First visit",
        case=case,
    )
    newer = interaction_services.interaction_log(
        firm=support_firm,
        actor=user,
        occurred_at=now - timedelta(hours=1),
        interaction_type=visit,
        notes="Second visit",
        case=case,
    )

    assert older.case == case
    assert older.contact == beneficiary_of(case)
    page = selectors.support_case_page(firm=support_firm, case=case)
    assert page["interactions"] == [newer, older]
    timeline = ContactEvent.objects.filter(
        contact=beneficiary_of(case), type=InteractionContactEventType.INTERACTION
    )
    assert timeline.count() == 2


def test_interaction_on_a_case_refuses_closed_and_mixed_subjects(
    support_firm, user, case, visit
):
    """I7: a closed case takes no interactions; the case is the only subject."""
    with pytest.raises(ApplicationError, match="case only"):
        interaction_services.interaction_log(
            firm=support_firm,
            actor=user,
            occurred_at=timezone.now(),
            interaction_type=visit,
            notes="Visit",
            case=case,
            contact=beneficiary_of(case),
        )
    close(case)
    with pytest.raises(ApplicationError) as exc:
        interaction_services.interaction_log(
            firm=support_firm,
            actor=user,
            occurred_at=timezone.now(),
            interaction_type=visit,
            notes="Visit",
            case=case,
        )
    assert exc.value.code == "case_closed"
    assert Interaction.objects.filter(case=case).exists() is False


# I8: tasks on a case


def test_task_on_a_case_is_linked_and_in_the_tasks_list(support_firm, user, case):
    """I8: the task is linked to the case and beneficiary and in the Tasks list."""
    task = task_services.task_create(
        firm=support_firm,
        actor=user,
        title="Chase the GP letter",
        description="",
        due_date=timezone.localdate(),
        assignee=user,
        priority=TaskPriority.NORMAL,
        category=None,
        case=case,
    )

    assert task.case == case
    assert task.contact == beneficiary_of(case)
    mine = task_selectors.task_list(
        principal=None, firm=support_firm, tab="mine", user=user
    )
    assert list(mine) == [task]
    today = task_selectors.task_list(
        principal=None, firm=support_firm, tab="today", user=user
    )
    assert list(today) == [task]
    page = selectors.support_case_page(firm=support_firm, case=case)
    assert page["tasks"] == [task]


def test_task_on_a_closed_case_is_refused(support_firm, user, case):
    """I8, I3: a closed case takes no new tasks."""
    close(case)
    with pytest.raises(ApplicationError) as exc:
        task_services.task_create(
            firm=support_firm,
            actor=user,
            title="Too late",
            description="",
            due_date=None,
            assignee=user,
            priority=TaskPriority.NORMAL,
            category=None,
            case=case,
        )
    assert exc.value.code == "case_closed"


# Every write refuses a closed case and another firm's objects


def _writes(firm: Any, user: Any, case: Any) -> dict[str, Callable[[], object]]:
    """Return each write on ``case``'s sections, as the firm's member would call it."""
    item = make_item(case)
    outcome = make_item(case, ItemKind.OUTCOME, "Housed")
    plan = make_plan(case)
    link = make_link(case)
    other = ContactFactory(firm=case.firm)
    visit = InteractionType.objects.create(firm=case.firm, name=f"Visit {case.pk}")
    return {
        "item_add": lambda: services.item_add(
            firm=firm, actor=user, case=case, kind=ItemKind.NEED, text="More"
        ),
        "item_remove": lambda: services.item_remove(firm=firm, actor=user, item=item),
        "outcome_set_achieved": lambda: services.outcome_set_achieved(
            firm=firm, actor=user, item=outcome, achieved_on=timezone.localdate()
        ),
        "plan_add": lambda: services.plan_add(
            firm=firm, actor=user, case=case, data=services.PlanData("Call")
        ),
        "plan_update": lambda: services.plan_update(
            firm=firm, actor=user, plan=plan, data=services.PlanData("Changed")
        ),
        "plan_delete": lambda: services.plan_delete(firm=firm, actor=user, plan=plan),
        "service_link": lambda: services.service_link(
            firm=firm, actor=user, case=case, contact=other, role="GP"
        ),
        "service_unlink": lambda: services.service_unlink(
            firm=firm, actor=user, link=link
        ),
        "concern_change": lambda: services.concern_change(
            firm=firm, actor=user, case=case, level="high", reason="Worried"
        ),
        "interaction_log": lambda: interaction_services.interaction_log(
            firm=firm,
            actor=user,
            occurred_at=timezone.now(),
            interaction_type=visit,
            notes="Visit",
            case=case,
        ),
        "task_create": lambda: task_services.task_create(
            firm=firm,
            actor=user,
            title="Call",
            description="",
            due_date=None,
            assignee=None,
            priority=TaskPriority.NORMAL,
            category=None,
            case=case,
        ),
    }


WRITES = (
    "item_add",
    "item_remove",
    "outcome_set_achieved",
    "plan_add",
    "plan_update",
    "plan_delete",
    "service_link",
    "service_unlink",
    "concern_change",
    "interaction_log",
    "task_create",
)


def _state(case):
    return (
        list(SupportItem.objects.filter(case=case).values_list("id", "achieved_on")),
        list(PlannedSupport.objects.filter(case=case).values_list("id", "description")),
        list(ExternalService.objects.filter(case=case).values_list("id", flat=True)),
        CaseEvent.objects.filter(case=case).count(),
        Interaction.objects.filter(case=case).count(),
        Task.objects.filter(case=case).count(),
    )


@pytest.mark.parametrize("write", WRITES)
def test_every_write_refuses_a_closed_case(support_firm, user, case, write):
    """I3: a closed case is read-only until it is reopened."""
    call = _writes(support_firm, user, case)[write]
    close(case)
    before = _state(case)

    with pytest.raises(ApplicationError, match="closed") as exc:
        call()

    assert exc.value.code == "case_closed"
    assert _state(case) == before


@pytest.mark.parametrize("write", WRITES)
def test_every_write_refuses_another_firms_objects(
    support_firm, other_firm, user, write
):
    """T6: another firm's case, entries and links are refused and left alone."""
    theirs = make_support_case(other_firm)
    call = _writes(support_firm, user, theirs)[write]
    before = _state(theirs)

    with pytest.raises(ApplicationError):
        call()

    assert _state(theirs) == before


def test_section_getters_hide_other_firms_rows(support_firm, other_firm, case):
    """T4: entries of another firm's case are not found."""
    theirs = make_support_case(other_firm)
    item, plan, link = make_item(theirs), make_plan(theirs), make_link(theirs)
    with pytest.raises(NotFound):
        selectors.support_item_get(firm=support_firm, item_id=item.pk)
    with pytest.raises(NotFound):
        selectors.plan_get(firm=support_firm, plan_id=plan.pk)
    with pytest.raises(NotFound):
        selectors.service_get(firm=support_firm, link_id=link.pk)
    mine = make_item(case)
    assert selectors.support_item_get(firm=support_firm, item_id=mine.pk) == mine


def test_case_page_lists_sections_and_flags_overdue_plans(support_firm, user, case):
    """I4, I5: needs and outcomes apart; an open plan past its target is overdue."""
    need = make_item(case, ItemKind.NEED, "Food")
    outcome = make_item(case, ItemKind.OUTCOME, "Fed")
    today = timezone.localdate()
    late = services.plan_add(
        firm=support_firm,
        actor=user,
        case=case,
        data=services.PlanData("Late", target_date=today - timedelta(days=3)),
    )
    done = services.plan_add(
        firm=support_firm,
        actor=user,
        case=case,
        data=services.PlanData(
            "Done", target_date=today - timedelta(days=5), status=PlanStatus.COMPLETE
        ),
    )
    later = services.plan_add(
        firm=support_firm,
        actor=user,
        case=case,
        data=services.PlanData("Later", target_date=today + timedelta(days=5)),
    )
    undated = make_plan(case, "Whenever")

    page = selectors.support_case_page(firm=support_firm, case=case)

    assert page["needs"] == [need]
    assert page["outcomes"] == [outcome]
    assert page["plans"] == [done, late, later, undated]
    assert page["overdue_plan_ids"] == {late.pk}
