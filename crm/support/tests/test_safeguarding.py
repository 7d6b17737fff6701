"""Safeguarding (SPEC I14): stale-case alerts and their digest, the scheduled
job, case-view logging, the concern trend and "not safe to contact"."""

import csv
import datetime
import html
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.contacts import services as contact_services
from crm.contacts.tests.factories import ContactFactory
from crm.core import periodic
from crm.core.exceptions import ApplicationError
from crm.firms.choices import Role
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions import services as interaction_services
from crm.support import services
from crm.support.choices import SafeguardingEventType
from crm.support.models import CaseView, StaleCaseAlert
from crm.support.tests.factories import make_support_case

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def text(response):
    return html.unescape(response.content.decode())


def later(days):
    return START + datetime.timedelta(days=days)


@pytest.fixture
def manager(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.MANAGER)


@pytest.fixture
def carla(support_firm):
    return MembershipFactory(firm=support_firm, role=Role.ADVISER)


@pytest.fixture
def high_case(support_firm, carla):
    with time_machine.travel(START, tick=False):
        case = make_support_case(support_firm, manager=carla.user, title="At risk")
        services.concern_change(
            firm=support_firm, actor=carla.user, case=case, level="high", reason="DV"
        )
    return case


def check(firm, days):
    return services.stale_cases_check(firm=firm, now=later(days))


def log_interaction(case, user, when):
    with time_machine.travel(when, tick=False):
        interaction_services.interaction_log(
            firm=case.firm,
            actor=user,
            occurred_at=when,
            interaction_type=InteractionTypeFactory(firm=case.firm),
            notes="Rang.",
            case=case,
        )


def test_a_stale_high_case_alerts_once_per_stale_period(support_firm, carla, high_case):
    """SPEC I14: after N days (default 7) without an interaction a High case
    raises one alert, however often the job runs; an interaction clears it;
    going stale again is a new alert."""
    assert support_firm.stale_case_days == 7
    assert check(support_firm, 6) == []
    raised = check(support_firm, 7)
    assert [a.case_id for a in raised] == [high_case.pk]
    assert check(support_firm, 8) == []
    assert StaleCaseAlert.objects.count() == 1
    history = CaseEvent.objects.filter(
        case=high_case, type=SafeguardingEventType.STALE_ALERT
    )
    assert history.count() == 1
    log_interaction(high_case, carla.user, later(9))
    assert check(support_firm, 10) == []
    assert StaleCaseAlert.objects.get().cleared_at == later(10)
    again = check(support_firm, 16)
    assert len(again) == 1
    assert again[0].since == later(9)


def test_low_closed_and_switched_off_cases_do_not_alert(support_firm, carla, high_case):
    """SPEC I14: Low or Medium and closed cases never alert; 0 days turns the
    alert off and clears what was raised."""
    make_support_case(support_firm, manager=carla.user, title="Fine")
    check(support_firm, 30)
    assert StaleCaseAlert.objects.filter(cleared_at__isnull=True).count() == 1
    support_firm.stale_case_days = 0
    support_firm.save()
    assert check(support_firm, 31) == []
    assert StaleCaseAlert.objects.filter(cleared_at__isnull=True).count() == 0


def test_digest_tells_the_case_manager_and_managers_once(
    support_firm, carla, manager, high_case, mailoutbox
):
    """SPEC I14: the daily digest e-mails the case manager and each manager
    (members who manage members) about new alerts, and never twice."""
    check(support_firm, 8)
    sent = services.stale_digest_send(firm=support_firm, now=later(8))
    recipients = {to for m in mailoutbox for to in m.to}
    assert carla.user.email in recipients
    assert manager.user.email in recipients
    assert sent == len(recipients) == len(mailoutbox)
    body = next(m.body for m in mailoutbox if m.to == [carla.user.email])
    assert high_case.reference in body
    assert "your case" in body
    assert services.stale_digest_send(firm=support_firm, now=later(9)) == 0


def test_the_scheduled_job_raises_alerts_that_the_dashboard_shows(
    login, support_firm, carla, manager, high_case
):
    """SPEC I14: ``run_periodic`` (what every worker runs on a schedule) checks
    the firm; the case manager's and the manager's dashboards show the alert."""
    assert "support.stale_cases" in {e.name for e in periodic.entries()}
    with time_machine.travel(later(8), tick=False):
        call_command("run_periodic", "support.stale_cases", stdout=io.StringIO())
        mine = text(login(carla).get(reverse("reports:dashboard")))
        theirs = text(login(manager).get(reverse("reports:dashboard")))
    assert "Cases out of touch" in mine
    assert high_case.reference in mine
    assert high_case.reference in theirs
    other = MembershipFactory(firm=support_firm, role=Role.ADVISER)
    with time_machine.travel(later(8), tick=False):
        body = text(login(other).get(reverse("reports:dashboard")))
    assert high_case.reference not in body


def test_schedule_runs_each_job_when_due():
    """SPEC I14: a worker's schedule runs a job at once, then after its interval."""
    calls = []
    entry = periodic.Periodic(
        name="test.tick",
        every=datetime.timedelta(hours=1),
        run=lambda: calls.append(1),
    )
    periodic.register(entry)
    try:
        schedule = periodic.Schedule()
        assert "test.tick" in schedule.run_due(now=START)
        assert "test.tick" not in schedule.run_due(
            now=later(0) + datetime.timedelta(minutes=30)
        )
        assert "test.tick" in schedule.run_due(now=START + datetime.timedelta(hours=1))
        assert len(calls) == 2
    finally:
        periodic._REGISTRY.pop("test.tick")


def test_views_of_high_cases_are_logged_and_listed(
    login, support_firm, carla, manager, high_case, django_assert_num_queries
):
    """SPEC I14: opening a High or Urgent case is logged (who, when); a Low case
    is not; managers see the log, paginated, in constant queries."""
    low = make_support_case(support_firm, manager=carla.user)
    client = login(carla)
    client.get(high_case.get_absolute_url())
    client.get(high_case.get_absolute_url())
    client.get(low.get_absolute_url())
    views = list(CaseView.objects.all())
    assert [(v.case_id, v.viewer_id, v.concern_level) for v in views] == [
        (high_case.pk, carla.user_id, "high")
    ] * 2
    other = make_support_case(support_firm, manager=carla.user)
    services.concern_change(
        firm=support_firm, actor=carla.user, case=other, level="urgent", reason="x"
    )
    client.get(other.get_absolute_url())
    manager_client = login(manager)
    # session, user with memberships; the page of views with case and viewer
    with django_assert_num_queries(3):
        response = manager_client.get(reverse("support:case_view_list"))
    body = text(response)
    assert high_case.reference in body
    assert other.reference in body
    assert str(carla.user) in body
    assert login(carla).get(reverse("support:case_view_list")).status_code == 403


def test_case_views_page_is_empty_at_first(login, support_firm, manager):
    """SPEC I14: the log says so when nobody has opened a concerning case."""
    body = text(login(manager).get(reverse("support:case_view_list")))
    assert "No one has opened a High or Urgent case yet." in body


def test_case_page_draws_the_concern_trend(login, support_firm, carla, high_case):
    """SPEC I14: the case shows its concern level over time as an SVG step chart
    and the same steps in a table, with reasons."""
    services.concern_change(
        firm=support_firm,
        actor=carla.user,
        case=high_case,
        level="urgent",
        reason="Threat",
    )
    body = text(login(carla).get(high_case.get_absolute_url()))
    assert '<title id="concern-trend-title">Concern level over time</title>' in body
    assert "Concern level over time: Low → High → Urgent." in body
    assert "<polyline" in body
    assert "Threat" in body


def test_not_safe_to_contact_needs_a_reason_and_warns(login, support_firm, carla):
    """SPEC I14: marking an address or phones not safe needs a reason; the
    contact page and the case page warn."""
    person = ContactFactory(
        firm=support_firm, first_name="Sam", postcode="AB1 2CD", mobile="07700900123"
    )
    with pytest.raises(ApplicationError, match="Say why"):
        contact_services.contact_update(
            firm=support_firm, actor=carla.user, contact=person, address_unsafe=True
        )
    contact_services.contact_update(
        firm=support_firm,
        actor=carla.user,
        contact=person,
        address_unsafe=True,
        address_unsafe_reason="Former partner lives here",
    )
    case = make_support_case(support_firm, manager=carla.user, beneficiary=person)
    for url in (person.get_absolute_url(), case.get_absolute_url()):
        body = text(login(carla).get(url))
        assert "Not safe to contact:" in body
        assert "Former partner lives here" in body


def test_not_safe_to_contact_is_kept_out_of_exports(login, support_firm):
    """SPEC I14: the CSV export leaves out an address or phones marked not safe."""
    owner = MembershipFactory(firm=support_firm, role=Role.OWNER)
    ContactFactory(
        firm=support_firm,
        first_name="Sam",
        address_line1="1 High St",
        postcode="AB1 2CD",
        mobile="07700900123",
        address_unsafe=True,
        address_unsafe_reason="Abuser",
    )
    response = login(owner).get(reverse("contacts:contact_export"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert "AB1 2CD" not in content
    assert "1 High St" not in content
    assert "07700900123" in content
    assert len(rows) == 1


def test_contact_form_offers_the_marks(login, support_firm, carla):
    """SPEC I14: the person form has the marks; a mark without a reason keeps
    what was typed and says what is missing."""
    person = ContactFactory(firm=support_firm, first_name="Sam", last_name="Lee")
    url = reverse("contacts:contact_edit", args=[person.pk])
    response = login(carla).post(
        url,
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "phone_unsafe": "on",
            "version": person.version,
        },
    )
    assert response.status_code == 200
    assert "Say why it is not safe to contact them there." in text(response)
    assert timezone.now()


def test_firm_sets_the_stale_case_days(login, support_firm):
    """SPEC I14: the owner sets N on Firm details (default 7; 0 is off); a firm
    without the Support module is not asked."""
    owner = MembershipFactory(firm=support_firm, role=Role.OWNER)
    url = reverse("firms:firm_edit")
    client = login(owner)
    assert 'name="stale_case_days" value="7"' in text(client.get(url))
    data = {
        "name": support_firm.name,
        "brand_colour": "#1d4ed8",
        "default_follow_up_days": 2,
        "remortgage_review_months": 6,
        "has_support": "on",
        "stale_case_days": "14",
    }
    assert client.post(url, data).status_code == 302
    support_firm.refresh_from_db()
    assert support_firm.stale_case_days == 14
    bad = client.post(url, {**data, "stale_case_days": "999"})
    assert bad.status_code == 200
    assert 'value="999"' in text(bad)


def test_advice_firms_are_not_asked_for_stale_case_days(login, firm):
    """SPEC I14: the setting belongs to the Support module."""
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    assert "stale_case_days" not in text(login(owner).get(reverse("firms:firm_edit")))
