"""Demo support cases (issue 6): made through the services, repeatable."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseApplicant, CaseEvent
from crm.contacts import demo as contacts_demo
from crm.contacts.choices import ContactKind
from crm.contacts.models import Contact
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms import demo as firms_demo
from crm.interactions.choices import InteractionKind
from crm.interactions.models import Interaction
from crm.support import demo, demo_text, selectors
from crm.support.choices import ItemKind, PlanStatus, SupportEventType, SupportKind
from crm.support.models import (
    ExternalService,
    OpenPeriod,
    Pathway,
    PlannedSupport,
    SupportDetails,
    SupportItem,
)
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 12)


@pytest.fixture
def firms(time_machine):
    time_machine.move_to(
        datetime.datetime(2026, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )
    firms = firms_demo.seed()
    contacts_demo.seed(firms)
    return firms


def counts():
    return tuple(
        model.objects.count()
        for model in (
            Case,
            CaseEvent,
            Contact,
            Pathway,
            SupportItem,
            PlannedSupport,
            ExternalService,
            OpenPeriod,
            Interaction,
            Task,
        )
    )


def test_seed_makes_open_and_closed_cases_with_every_section(firms):
    """I1-I9: twelve open and four closed cases, each with a beneficiary and details."""
    demo.seed(firms)

    charity = firms[firms_demo.SUPPORT_FIRM]
    cases = Case.objects.filter(firm=charity, kind=SupportKind.SUPPORT)
    assert cases.filter(is_open=True).count() == 12
    assert cases.filter(is_open=False).count() == 4
    for case in cases:
        assert CaseApplicant.objects.filter(case=case).count() == 1
        assert SupportDetails.objects.filter(case=case).exists() is True
        assert CaseEvent.objects.filter(case=case, type=CaseEventType.CREATED).exists()
    assert set(Pathway.objects.filter(firm=charity).values_list("name", flat=True)) == (
        set(demo.PATHWAYS)
    )
    owners = set(cases.values_list("owner__email", flat=True))
    assert owners == {*demo.MANAGERS, demo.OWNER}
    reopened = cases.get(
        pk__in=CaseEvent.objects.filter(type=CaseEventType.REOPENED).values("case")
    )
    assert reopened.is_open is True
    assert OpenPeriod.objects.filter(case=reopened).count() == 2
    # 214 days ago to 120 days ago, then the last 41 days.
    periods = list(reopened.open_periods.all())
    assert 133 <= selectors.days_open(periods) <= 135
    assert CaseEvent.objects.filter(type=SupportEventType.CONCERN_CHANGED).count() == 5
    items = SupportItem.objects.filter(firm=charity)
    assert items.filter(kind=ItemKind.NEED).exists() is True
    assert items.filter(achieved_on__isnull=False).exists() is True
    plans = PlannedSupport.objects.filter(firm=charity)
    assert {p.status for p in plans} == set(PlanStatus.values)
    overdue = plans.filter(target_date__lt=TODAY).exclude(status=PlanStatus.COMPLETE)
    assert overdue.exists() is True
    links = ExternalService.objects.filter(firm=charity).select_related("contact")
    assert {link.contact.kind for link in links} == {ContactKind.ORGANISATION}
    touchpoints = Interaction.objects.filter(kind=InteractionKind.TOUCHPOINT)
    assert 0 < touchpoints.count() < links.count()
    logged = Interaction.objects.filter(
        case__in=cases, kind=InteractionKind.INTERACTION
    )
    assert logged.values("interaction_type__name").distinct().count() >= 2
    assert (
        logged.filter(occurred_at__gt=datetime.datetime.now(tz=datetime.UTC)).exists()
        is False
    )
    tasks = Task.objects.filter(case__in=cases)
    assert tasks.filter(due_date=TODAY).exists() is True
    assert tasks.filter(due_date__lt=TODAY).exists() is True
    assert tasks.filter(case__is_open=False).exists() is False
    for task in tasks:
        assert task.contact_id == CaseApplicant.objects.get(case=task.case).contact_id


def test_seed_reuses_the_contacts_demo_people_and_services(firms):
    """Beneficiaries and services are the contacts demo's; one solicitor is added."""
    charity = firms[firms_demo.SUPPORT_FIRM]
    before = Contact.objects.filter(firm=charity).count()

    demo.seed(firms)

    assert Contact.objects.filter(firm=charity).count() == before + 1
    beneficiaries = CaseApplicant.objects.filter(firm=charity).values("contact")
    assert beneficiaries.distinct().count() == 16
    assert (
        Contact.objects.filter(pk__in=beneficiaries, kind=ContactKind.PERSON).count()
        == 16
    )


def test_seed_twice_changes_nothing(firms):
    """Running the demo again adds no cases, entries or contacts."""
    demo.seed(firms)
    first = counts()

    demo.seed(firms)

    assert counts() == first


def test_advice_firm_gets_no_support_cases(firms):
    """The advice firm has no Support module and no support cases."""
    demo.seed(firms)

    advice = firms[firms_demo.ADVICE_FIRM]
    assert Case.objects.filter(firm=advice, kind=SupportKind.SUPPORT).exists() is False
    assert Pathway.objects.filter(firm=advice).exists() is False


def test_every_interaction_note_fits_its_type(firms):
    """Issue 14 item 9: a home visit's note is about a visit, not a text."""
    demo.seed(firms)

    logged = Interaction.objects.filter(
        case__kind=SupportKind.SUPPORT, kind=InteractionKind.INTERACTION
    ).select_related("interaction_type")
    assert logged.exists() is True
    for interaction in logged:
        assert interaction.interaction_type is not None
        name = interaction.interaction_type.name
        fitting = {
            *demo_text.INTERACTION_NOTES.get(name, demo_text.OTHER_NOTES),
            *([demo_text.REOPEN_NOTES[name]] if name in demo_text.REOPEN_NOTES else []),
        }
        assert interaction.notes in fitting, (name, interaction.notes)


def test_every_close_reason_fits_the_cases_pathway(firms):
    """Issue 14 item 9: no "Debt relief order approved" on a Wellbeing case."""
    demo.seed(firms)

    closes = CaseEvent.objects.filter(
        case__kind=SupportKind.SUPPORT, type=CaseEventType.CLOSED
    ).select_related("case__support__pathway")
    assert closes.count() == 5
    for event in closes:
        pathway = event.case.support.pathway
        name = pathway.name if pathway else None
        assert event.parameters["reason"] in demo_text.CLOSE_REASONS[name], name
    reopen = CaseEvent.objects.get(type=CaseEventType.REOPENED)
    pathway = reopen.case.support.pathway
    assert (
        reopen.parameters["reason"]
        == demo_text.REOPEN_REASONS[pathway.name if pathway else None]
    )


def test_every_status_change_is_dated_by_the_service_that_made_it(firms):
    """Issue 14 item 9: closing and reopening go through the services at the
    time they happened, so the case, its open periods, history and audit agree."""
    demo.seed(firms)

    cases = Case.objects.filter(kind=SupportKind.SUPPORT)
    moves = CaseEvent.objects.filter(
        case__in=cases, type__in=[CaseEventType.CLOSED, CaseEventType.REOPENED]
    )
    assert moves.count() == 6
    for event in moves:
        audit = AuditEvent.objects.filter(
            firm=event.firm,
            verb=AuditVerb.STATUS_CHANGE,
            object_id=str(event.case_id),
            created_at=event.created_at,
        )
        assert audit.count() == 1, event
    for case in cases.filter(is_open=False):
        closed = CaseEvent.objects.get(case=case, type=CaseEventType.CLOSED)
        assert case.closed_at == closed.created_at
        period = OpenPeriod.objects.get(case=case)
        assert period.closed_at == case.closed_at
    for case in cases:
        created = CaseEvent.objects.get(case=case, type=CaseEventType.CREATED)
        assert created.created_at == case.created_at
        first = case.open_periods.order_by("opened_at").first()
        assert first is not None
        assert first.opened_at == case.created_at
        assert AuditEvent.objects.filter(
            verb=AuditVerb.CREATE, object_id=str(case.pk), created_at=case.created_at
        ).exists()
    reopened = cases.get(pk=moves.get(type=CaseEventType.REOPENED).case_id)
    first, second = reopened.open_periods.order_by("opened_at")
    closed = CaseEvent.objects.get(case=reopened, type=CaseEventType.CLOSED)
    again = CaseEvent.objects.get(case=reopened, type=CaseEventType.REOPENED)
    assert first.closed_at == closed.created_at
    assert second.opened_at == again.created_at
    assert second.closed_at is None


def test_seed_refers_out_in_each_state_once(firms):
    """SPEC I12: one referral out in each state; seeding again adds none."""
    from crm.support import demo_referrals_out
    from crm.support.choices import ReferralOutStatus
    from crm.support.models import ReferralOut

    demo.seed(firms)
    demo_referrals_out.seed(firms)
    demo_referrals_out.seed(firms)

    charity = firms[firms_demo.SUPPORT_FIRM]
    referrals = list(ReferralOut.objects.filter(firm=charity))
    assert sorted(r.state for r in referrals) == sorted(ReferralOutStatus.values)
    accepted = next(r for r in referrals if r.state == ReferralOutStatus.ACCEPTED)
    assert accepted.updates.count() == 3
    assert (
        Interaction.objects.filter(
            case=accepted.case,
            contact=accepted.partner,
            notes__startswith="Update from",
        ).count()
        == 2
    )
