"""Demo tasks: spread over members and dates, and safe to seed twice."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.demo import ADVICE_FIRM, SUPPORT_FIRM
from crm.firms.tests.factories import MembershipFactory, TaskCategoryFactory
from crm.leads.tests.factories import LeadFactory
from crm.tasks import demo
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(firm, support_firm, time_machine):
    """Both demo firms with members, categories, contacts and leads."""
    time_machine.move_to(
        datetime.datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )
    for f in (firm, support_firm):
        MembershipFactory(firm=f, role=Role.OWNER)
        MembershipFactory(firm=f, role=Role.ADVISER)
        MembershipFactory(firm=f, role=Role.READ_ONLY)
        TaskCategoryFactory(firm=f)
        ContactFactory.create_batch(5, firm=f)
    LeadFactory.create_batch(4, contact__firm=firm)
    return {ADVICE_FIRM: firm, SUPPORT_FIRM: support_firm}


def test_seed_spreads_tasks_and_is_idempotent(firms):
    """About thirty tasks a firm: overdue, due today, done, linked; once only."""
    demo.seed(firms)
    demo.seed(firms)
    advice = Task.objects.filter(firm=firms[ADVICE_FIRM])
    today = datetime.date(2025, 3, 12)
    assert advice.count() == demo.TASKS_PER_FIRM
    assert Task.objects.filter(firm=firms[SUPPORT_FIRM]).count() == demo.TASKS_PER_FIRM
    assert advice.filter(status="open", due_date__lt=today).exists()
    assert advice.filter(status="open", due_date=today).exists()
    assert advice.filter(status="done").exists()
    assert advice.filter(lead__isnull=False).exists()
    assert advice.filter(contact__isnull=False, lead__isnull=True).exists()
    assert advice.values("assignee").distinct().count() == 2
    assert not advice.filter(assignee__memberships__role=Role.READ_ONLY).exists()
