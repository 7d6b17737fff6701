"""Support case services: create, edit, close, reopen, concern level (I1-I3, I9)."""

import datetime as dt
from datetime import date, timedelta

import pytest

from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseApplicant, CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError, NotFound
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.support import selectors, services
from crm.support.choices import (
    ConcernLevel,
    Duration,
    SupportEventType,
    SupportKind,
    SupportStatus,
)
from crm.support.models import OpenPeriod, Pathway, SupportDetails
from crm.support.tests.factories import (
    make_link,
    make_pathway,
    make_plan,
    make_support_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.ADVISER)


@pytest.fixture
def user(member):
    return member.user


@pytest.fixture
def beneficiary(support_firm):
    return ContactFactory(firm=support_firm, first_name="Ama", last_name="Mensah")


def data(user, **fields):
    fields.setdefault("title", "Housing support")
    return services.SupportCaseData(case_manager=user, **fields)


def create(firm, user, beneficiary, **fields):
    return services.support_case_create(
        firm=firm, actor=user, beneficiary=beneficiary, data=data(user, **fields)
    )


def update(firm, user, case, **fields):
    return services.support_case_update(
        firm=firm, actor=user, case=case, data=data(user, **fields)
    )


def audits(firm, verb, obj):
    return AuditEvent.objects.filter(
        firm=firm,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
    )


# I1: create


def test_create_opens_a_support_case_with_details_period_event_and_audit(
    support_firm, user, beneficiary
):
    """I1: the case is Open for its one beneficiary, with history and audit."""
    pathway = make_pathway(support_firm)
    case = create(
        support_firm,
        user,
        beneficiary,
        title="  Help with rent arrears ",
        start_date=date(2026, 3, 2),
        pathway=pathway,
        note=" Referred by the GP. ",
    )

    case.refresh_from_db()
    assert case.kind == SupportKind.SUPPORT
    assert case.status == SupportStatus.OPEN
    assert case.is_open is True
    assert case.title == "Help with rent arrears"
    assert case.owner == user
    assert case.note == "Referred by the GP."
    assert case.reference == "SUP-00001"
    applicants = CaseApplicant.objects.filter(case=case)
    assert [a.contact for a in applicants] == [beneficiary]
    details = case.support
    assert details.start_date == date(2026, 3, 2)
    assert details.duration == Duration.OPEN_ENDED
    assert details.pathway == pathway
    assert details.concern_level == ConcernLevel.LOW
    assert OpenPeriod.objects.filter(case=case, closed_at=None).count() == 1
    assert CaseEvent.objects.filter(case=case, type=CaseEventType.CREATED).count() == 1
    assert audits(support_firm, AuditVerb.CREATE, case).exists() is True
    audit = audits(support_firm, AuditVerb.CREATE, details).get()
    assert audit.changes["concern_level"] == [None, ConcernLevel.LOW]


def test_create_numbers_references_per_firm(support_firm, other_firm, user):
    """I1: references run SUP-00001, SUP-00002 in each firm."""
    first = create(support_firm, user, ContactFactory(firm=support_firm))
    second = create(support_firm, user, ContactFactory(firm=support_firm))
    elsewhere = make_support_case(other_firm)

    assert [first.reference, second.reference] == ["SUP-00001", "SUP-00002"]
    assert elsewhere.reference == "SUP-00001"


def test_create_starts_today_when_no_start_date(support_firm, user, beneficiary):
    """I1: a case without a start date starts today."""
    case = create(support_firm, user, beneficiary)

    assert SupportDetails.objects.get(case=case).start_date is not None


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"title": ""}, "required", "title"),
        ({"title": "   "}, "required", "title"),
        ({"duration": Duration.FIXED}, "required", "expected_end_date"),
        (
            {
                "duration": Duration.FIXED,
                "start_date": date(2026, 5, 2),
                "expected_end_date": date(2026, 5, 1),
            },
            "invalid",
            "expected_end_date",
        ),
        ({"duration": "forever"}, "invalid", "duration"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    support_firm, user, beneficiary, fields, code, field
):
    """I1: title is required; Fixed needs an end date not before the start."""
    with pytest.raises(ApplicationError) as exc:
        create(support_firm, user, beneficiary, **fields)

    assert exc.value.code == code
    assert exc.value.extra == {"field": field}
    assert Case.objects.filter(firm=support_firm).exists() is False
    assert SupportDetails.objects.filter(firm=support_firm).exists() is False


def test_create_requires_a_case_manager(support_firm, user, beneficiary):
    """I1: the case manager is required."""
    with pytest.raises(ApplicationError, match="case manager") as exc:
        services.support_case_create(
            firm=support_firm,
            actor=user,
            beneficiary=beneficiary,
            data=services.SupportCaseData(title="Help", case_manager=None),
        )
    assert exc.value.extra == {"field": "case_manager"}


def test_create_refuses_a_manager_who_is_not_an_active_member(
    support_firm, other_firm, user, beneficiary
):
    """I1: the case manager must be an active member of the firm."""
    outsider = MembershipFactory(firm=other_firm).user
    former = MembershipFactory(firm=support_firm, is_active=False).user
    for manager in (outsider, former):
        with pytest.raises(ApplicationError, match="active member"):
            services.support_case_create(
                firm=support_firm,
                actor=user,
                beneficiary=beneficiary,
                data=services.SupportCaseData(title="Help", case_manager=manager),
            )
    assert Case.objects.filter(firm=support_firm).exists() is False


def test_create_fixed_case_may_end_on_its_start_date(support_firm, user, beneficiary):
    """I1: a Fixed case's expected end date may equal the start date."""
    case = create(
        support_firm,
        user,
        beneficiary,
        duration=Duration.FIXED,
        start_date=date(2026, 5, 1),
        expected_end_date=date(2026, 5, 1),
    )

    assert case.support.expected_end_date == date(2026, 5, 1)


def test_create_open_ended_drops_the_end_date(support_firm, user, beneficiary):
    """I1: an Open-ended case keeps no expected end date."""
    case = create(
        support_firm,
        user,
        beneficiary,
        duration=Duration.OPEN_ENDED,
        expected_end_date=date(2027, 1, 1),
    )

    assert SupportDetails.objects.get(case=case).expected_end_date is None


def test_create_refuses_another_firms_beneficiary_or_pathway(
    support_firm, other_firm, user, beneficiary
):
    """I1, T6: the beneficiary and pathway must belong to the firm."""
    with pytest.raises(ApplicationError) as exc:
        create(support_firm, user, ContactFactory(firm=other_firm))
    assert exc.value.code == "not_found"
    with pytest.raises(ApplicationError) as exc:
        create(support_firm, user, beneficiary, pathway=make_pathway(other_firm))
    assert exc.value.code == "not_found"
    assert Case.objects.filter(firm=support_firm).exists() is False


def test_create_refuses_an_archived_pathway(support_firm, user, beneficiary):
    """I9: an archived pathway can't be chosen for a new case."""
    pathway = Pathway.objects.create(firm=support_firm, name="Old", is_active=False)

    with pytest.raises(ApplicationError, match="archived") as exc:
        create(support_firm, user, beneficiary, pathway=pathway)
    assert exc.value.extra == {"field": "pathway"}


def test_create_refuses_a_firm_without_the_support_module(firm, owner):
    """I1: only a firm with the Support module manages support cases."""
    with pytest.raises(ApplicationError, match="support cases"):
        create(firm, owner.user, ContactFactory(firm=firm))
    assert Case.objects.filter(firm=firm).exists() is False


def test_create_refuses_an_unknown_concern_level(support_firm, user, beneficiary):
    """I9: the concern level is one of Low, Medium, High, Urgent."""
    with pytest.raises(ApplicationError, match="concern level"):
        services.support_case_create(
            firm=support_firm,
            actor=user,
            beneficiary=beneficiary,
            data=data(user),
            concern_level="extreme",
        )


# I2: edit


def test_update_records_the_changes_in_history_and_audit(
    support_firm, user, beneficiary
):
    """I2: edit changes title, manager, duration, dates, notes; a diff is kept."""
    case = create(support_firm, user, beneficiary, start_date=date(2026, 1, 5))
    other = MembershipFactory(firm=support_firm).user
    pathway = make_pathway(support_firm, "Debt Advice")

    update(
        support_firm,
        other,
        case,
        title="Debt and housing",
        start_date=date(2026, 1, 5),
        duration=Duration.FIXED,
        expected_end_date=date(2026, 7, 5),
        pathway=pathway,
        note="Now also debts",
    )

    case.refresh_from_db()
    assert case.title == "Debt and housing"
    assert case.owner == other
    assert case.note == "Now also debts"
    details = SupportDetails.objects.get(case=case)
    assert details.duration == Duration.FIXED
    assert details.expected_end_date == date(2026, 7, 5)
    assert details.pathway == pathway
    event = CaseEvent.objects.get(case=case, type=CaseEventType.UPDATED)
    changes = event.parameters["changes"]
    assert changes["title"] == ["Housing support", "Debt and housing"]
    assert changes["duration"] == [Duration.OPEN_ENDED, Duration.FIXED]
    assert changes["expected_end_date"] == [None, "2026-07-05"]
    assert "start_date" not in changes
    audit = audits(support_firm, AuditVerb.UPDATE, case).get()
    assert audit.changes == changes


def test_update_with_nothing_changed_writes_nothing(support_firm, user, beneficiary):
    """I2: saving the form unchanged adds no history or audit entry."""
    case = create(support_firm, user, beneficiary, start_date=date(2026, 1, 5))

    update(support_firm, user, case, start_date=date(2026, 1, 5))

    updated = CaseEvent.objects.filter(case=case, type=CaseEventType.UPDATED)
    assert updated.exists() is False
    assert audits(support_firm, AuditVerb.UPDATE, case).exists() is False


def test_update_refuses_a_new_beneficiary_and_changes_nothing(
    support_firm, user, beneficiary
):
    """I2: the beneficiary cannot be changed; the whole edit is refused."""
    case = create(support_firm, user, beneficiary)
    events = CaseEvent.objects.filter(case=case).count()
    audit_count = AuditEvent.objects.filter(firm=support_firm).count()

    with pytest.raises(ApplicationError) as exc:
        services.support_case_update(
            firm=support_firm,
            actor=user,
            case=case,
            data=data(user, title="Changed"),
            beneficiary=ContactFactory(firm=support_firm),
        )

    assert exc.value.code == "beneficiary_fixed"
    assert str(exc.value.message) == services.BENEFICIARY_FIXED
    case.refresh_from_db()
    assert case.title == "Housing support"
    applicants = list(CaseApplicant.objects.filter(case=case))
    assert [a.contact_id for a in applicants] == [beneficiary.pk]
    assert CaseEvent.objects.filter(case=case).count() == events
    assert AuditEvent.objects.filter(firm=support_firm).count() == audit_count


def test_update_accepts_the_same_beneficiary(support_firm, user, beneficiary):
    """I2: passing the current beneficiary is not a change."""
    case = create(support_firm, user, beneficiary)

    services.support_case_update(
        firm=support_firm,
        actor=user,
        case=case,
        data=data(user, title="Renamed"),
        beneficiary=beneficiary,
    )

    case.refresh_from_db()
    assert case.title == "Renamed"


def test_update_keeps_an_archived_pathway_already_chosen(
    support_firm, user, beneficiary
):
    """I9: a case on a since-archived pathway can still be edited."""
    pathway = make_pathway(support_firm)
    case = create(support_firm, user, beneficiary, pathway=pathway)
    Pathway.objects.filter(pk=pathway.pk).update(is_active=False)
    pathway.refresh_from_db()

    update(support_firm, user, case, title="Renamed", pathway=pathway)

    case.refresh_from_db()
    assert case.title == "Renamed"
    other = Pathway.objects.create(firm=support_firm, name="Gone", is_active=False)
    with pytest.raises(ApplicationError, match="archived"):
        update(support_firm, user, case, pathway=other)


def test_update_refuses_fixed_without_an_end_date(support_firm, user, beneficiary):
    """I1, I2: the edit form follows the create form's date rules."""
    case = create(support_firm, user, beneficiary)

    with pytest.raises(ApplicationError) as exc:
        update(support_firm, user, case, duration=Duration.FIXED)

    assert exc.value.extra == {"field": "expected_end_date"}
    assert SupportDetails.objects.get(case=case).duration == Duration.OPEN_ENDED


def test_update_refuses_a_closed_case(support_firm, user, beneficiary):
    """I3: a closed case is read-only until reopened."""
    case = create(support_firm, user, beneficiary)
    services.support_case_close(firm=support_firm, actor=user, case=case)

    with pytest.raises(ApplicationError, match="Reopen it") as exc:
        update(support_firm, user, case, title="Changed")

    assert exc.value.code == "case_closed"
    case.refresh_from_db()
    assert case.title == "Housing support"


def test_update_refuses_another_firms_case_or_an_advice_case(
    support_firm, other_firm, firm, user
):
    """T6: a support service only touches the firm's own support cases."""
    theirs = make_support_case(other_firm)
    advice = make_case(support_firm)
    for case in (theirs, advice):
        with pytest.raises(ApplicationError) as exc:
            update(support_firm, user, case, title="Mine now")
        assert exc.value.code == "not_found"
    theirs.refresh_from_db()
    assert theirs.title == "Housing support"


# I3: close and reopen


def test_close_keeps_manager_plans_and_links_and_ends_the_open_period(
    support_firm, user, beneficiary
):
    """I3: a closed case stays, still showing who managed it, its plans and links."""
    case = create(support_firm, user, beneficiary)
    plan = make_plan(case)
    link = make_link(case)

    services.support_case_close(
        firm=support_firm, actor=user, case=case, reason="Housed"
    )

    case.refresh_from_db()
    assert case.is_open is False
    assert case.status == SupportStatus.CLOSED
    assert case.closed_at is not None
    assert case.owner == user
    assert list(case.planned_support.all()) == [plan]
    assert list(case.external_services.all()) == [link]
    period = OpenPeriod.objects.get(case=case)
    assert period.closed_at == case.closed_at
    event = CaseEvent.objects.get(case=case, type=CaseEventType.CLOSED)
    assert event.parameters["reason"] == "Housed"
    assert audits(support_firm, AuditVerb.STATUS_CHANGE, case).exists() is True
    with pytest.raises(ApplicationError, match="closed"):
        services.support_case_close(firm=support_firm, actor=user, case=case)


def test_reopen_restores_the_case_and_opens_a_new_period(
    support_firm, user, beneficiary
):
    """I3: reopening keeps manager, plans and links, and starts a new open period."""
    case = create(support_firm, user, beneficiary)
    plan = make_plan(case)
    link = make_link(case)
    services.support_case_close(firm=support_firm, actor=user, case=case)

    services.support_case_reopen(
        firm=support_firm, actor=user, case=case, reason="Evicted again"
    )

    case.refresh_from_db()
    assert case.is_open is True
    assert case.status == SupportStatus.OPEN
    assert case.owner == user
    assert list(case.planned_support.all()) == [plan]
    assert list(case.external_services.all()) == [link]
    periods = list(OpenPeriod.objects.filter(case=case))
    assert len(periods) == 2
    assert periods[0].closed_at is not None
    assert periods[1].closed_at is None
    event = CaseEvent.objects.get(case=case, type=CaseEventType.REOPENED)
    assert event.parameters["reason"] == "Evicted again"


def test_reopen_needs_a_reason_and_a_closed_case(support_firm, user, beneficiary):
    """I3: reopening asks why; an open case can't be reopened."""
    case = create(support_firm, user, beneficiary)
    with pytest.raises(ApplicationError, match="already open"):
        services.support_case_reopen(
            firm=support_firm, actor=user, case=case, reason="x"
        )
    services.support_case_close(firm=support_firm, actor=user, case=case)

    with pytest.raises(ApplicationError) as exc:
        services.support_case_reopen(
            firm=support_firm, actor=user, case=case, reason="  "
        )

    assert exc.value.code == "reason_required"
    assert OpenPeriod.objects.filter(case=case).count() == 1


def test_close_and_reopen_refuse_another_firms_case(support_firm, other_firm, user):
    """T6: closing or reopening another firm's case is refused."""
    theirs = make_support_case(other_firm)
    with pytest.raises(ApplicationError):
        services.support_case_close(firm=support_firm, actor=user, case=theirs)
    with pytest.raises(ApplicationError):
        services.support_case_reopen(
            firm=support_firm, actor=user, case=theirs, reason="x"
        )
    theirs.refresh_from_db()
    assert theirs.is_open is True


def test_days_open_adds_up_across_reopens(
    support_firm, user, beneficiary, time_machine
):
    """I3: the time a case was open adds up across its open periods."""
    start = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    case = create(support_firm, user, beneficiary)
    time_machine.shift(timedelta(days=3))
    services.support_case_close(firm=support_firm, actor=user, case=case)
    time_machine.shift(timedelta(days=10))
    services.support_case_reopen(firm=support_firm, actor=user, case=case, reason="x")
    time_machine.shift(timedelta(days=2, hours=5))

    periods = list(OpenPeriod.objects.filter(case=case))
    assert selectors.days_open(periods) == 5
    page = selectors.support_case_page(firm=support_firm, case=case)
    assert page["days_open"] == 5
    assert len(page["open_periods"]) == 2


# I9: concern level


def test_concern_change_keeps_history_and_audit(support_firm, user, beneficiary):
    """I9: each change records from, to and the reason."""
    case = create(support_firm, user, beneficiary)

    services.concern_change(
        firm=support_firm,
        actor=user,
        case=case,
        level=ConcernLevel.HIGH,
        reason=" Missed rent again ",
    )
    services.concern_change(
        firm=support_firm,
        actor=user,
        case=case,
        level=ConcernLevel.MEDIUM,
        reason="Payment plan agreed",
    )

    assert SupportDetails.objects.get(case=case).concern_level == ConcernLevel.MEDIUM
    events = CaseEvent.objects.filter(
        case=case, type=SupportEventType.CONCERN_CHANGED
    ).order_by("id")
    assert [e.parameters for e in events] == [
        {"from": "low", "to": "high", "reason": "Missed rent again"},
        {"from": "high", "to": "medium", "reason": "Payment plan agreed"},
    ]
    audit = audits(support_firm, AuditVerb.UPDATE, case).order_by("id").first()
    assert audit is not None
    assert audit.changes == {
        "concern_level": ["low", "high"],
        "reason": "Missed rent again",
    }


@pytest.mark.parametrize(
    ("level", "reason", "code"),
    [
        (ConcernLevel.HIGH, "  ", "reason_required"),
        (ConcernLevel.LOW, "Same again", "unchanged"),
        ("severe", "Because", "invalid"),
    ],
)
def test_concern_change_refuses_bad_changes(
    support_firm, user, beneficiary, level, reason, code
):
    """I9: a reason is required and the level must actually change."""
    case = create(support_firm, user, beneficiary)

    with pytest.raises(ApplicationError) as exc:
        services.concern_change(
            firm=support_firm, actor=user, case=case, level=level, reason=reason
        )

    assert exc.value.code == code
    assert SupportDetails.objects.get(case=case).concern_level == ConcernLevel.LOW
    assert (
        CaseEvent.objects.filter(
            case=case, type=SupportEventType.CONCERN_CHANGED
        ).exists()
        is False
    )


def test_concern_change_refuses_closed_or_other_firms_cases(
    support_firm, other_firm, user, beneficiary
):
    """I3, T6: concern changes need an open case of the firm."""
    case = create(support_firm, user, beneficiary)
    services.support_case_close(firm=support_firm, actor=user, case=case)
    theirs = make_support_case(other_firm)
    for target in (case, theirs):
        with pytest.raises(ApplicationError):
            services.concern_change(
                firm=support_firm,
                actor=user,
                case=target,
                level=ConcernLevel.URGENT,
                reason="Worried",
            )
    assert SupportDetails.objects.get(case=theirs).concern_level == ConcernLevel.LOW


# Selectors of cases


def test_support_case_get_hides_other_firms_and_other_kinds(
    support_firm, other_firm, user, beneficiary
):
    """T4: another firm's support case or an advice case is not found."""
    case = create(support_firm, user, beneficiary)
    assert selectors.support_case_get(firm=support_firm, case_id=case.pk) == case
    theirs = make_support_case(other_firm)
    advice = make_case(support_firm)
    for case_id in (theirs.pk, advice.pk):
        with pytest.raises(NotFound):
            selectors.support_case_get(firm=support_firm, case_id=case_id)


def test_support_case_list_filters_by_tab_concern_pathway_and_search(
    support_firm, user
):
    """I1, I9: tabs, concern level, pathway and search narrow the list."""
    housing = make_pathway(support_firm)
    ama = create(
        support_firm,
        user,
        ContactFactory(firm=support_firm, first_name="Ama", last_name="Owusu"),
        title="Rent arrears",
        pathway=housing,
    )
    ben = create(
        support_firm,
        user,
        ContactFactory(firm=support_firm, first_name="Ben", last_name="Carter"),
        title="Debt advice",
    )
    cy = create(
        support_firm,
        user,
        ContactFactory(firm=support_firm, first_name="Cy", last_name="Jones"),
        title="Mentoring",
    )
    services.concern_change(
        firm=support_firm, actor=user, case=ben, level="urgent", reason="Crisis"
    )
    services.support_case_close(firm=support_firm, actor=user, case=cy)
    make_case(support_firm)

    def ids(**kwargs):
        return {c.pk for c in selectors.support_case_list(firm=support_firm, **kwargs)}

    assert ids() == {ama.pk, ben.pk, cy.pk}
    assert ids(tab="open") == {ama.pk, ben.pk}
    assert ids(tab="closed") == {cy.pk}
    assert ids(concern="urgent") == {ben.pk}
    assert ids(pathway_id=housing.pk) == {ama.pk}
    assert ids(q="Owusu") == {ama.pk}
    assert ids(q="debt") == {ben.pk}
    assert ids(q=cy.reference) == {cy.pk}
    ordered = list(selectors.support_case_list(firm=support_firm, sort="-concern"))
    assert ordered[0] == ben
