"""The workload and safeguarding demo (issue 18 item 7; SPEC I13, I14)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from crm.contacts import demo as contacts_demo
from crm.contacts.models import Contact
from crm.firms import demo as firms_demo
from crm.support import demo, demo_safeguarding, selectors
from crm.support.models import CaseView, StaleCaseAlert

pytestmark = pytest.mark.django_db


def test_demo_has_a_busy_case_manager_a_stale_case_and_an_unsafe_address(
    time_machine,
):
    """SPEC I13, I14: a near-capacity case manager, a stale High case with its
    alert, a not-safe-to-contact address and logged views; seeding twice adds
    nothing."""
    time_machine.move_to(
        datetime.datetime(2026, 3, 12, 9, 0, tzinfo=ZoneInfo("Europe/London")),
        tick=False,
    )
    firms = firms_demo.seed()
    contacts_demo.seed(firms)
    demo.seed(firms)
    demo_safeguarding.seed(firms)
    charity = firms[firms_demo.SUPPORT_FIRM]
    rows = selectors.workload_rows(firm=charity, today=timezone.localdate())
    busy = next(r for r in rows if r.name == "Daniel Hughes")
    assert busy.state == "near"
    alert = StaleCaseAlert.objects.get(case__title="Safe housing after leaving home")
    assert alert.cleared_at is None
    assert Contact.objects.get(first_name="Jordan", last_name="Price").address_unsafe
    assert CaseView.objects.filter(case=alert.case).count() == 2
    demo_safeguarding.seed(firms)
    assert StaleCaseAlert.objects.filter(case=alert.case).count() == 1
