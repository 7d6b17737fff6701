"""Follow-up states of leads and cases, worked out from their columns (C4, D2)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.core.queries import follow_up_state
from crm.leads.choices import LeadStatus
from crm.leads.models import Lead
from crm.leads.tests.factories import LeadFactory


def test_the_state_of_a_date_against_today():
    today = timezone.localdate()
    assert follow_up_state(True, today - timedelta(days=1)) == "overdue"
    assert follow_up_state(True, today) == "due"
    assert follow_up_state(True, today + timedelta(days=1)) == ""
    assert follow_up_state(True, None) == ""
    assert follow_up_state(False, today - timedelta(days=1)) == ""
    assert follow_up_state(False, date(2000, 1, 1)) == ""


@pytest.mark.django_db
def test_any_case_or_lead_knows_its_state_without_an_annotation(firm):
    """A plain read of the model has it: no selector needs to add it."""
    yesterday = timezone.localdate() - timedelta(days=1)
    case = make_case(firm, follow_up_date=yesterday)
    lead = LeadFactory(firm=firm, follow_up_date=timezone.localdate())
    assert Case.objects.get(pk=case.pk).follow_up_state == "overdue"
    assert Lead.objects.get(pk=lead.pk).follow_up_state == "due"
    Case.objects.filter(pk=case.pk).update(is_open=False)
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.NOT_PROCEEDING)
    assert Case.objects.get(pk=case.pk).follow_up_state == ""
    assert Lead.objects.get(pk=lead.pk).follow_up_state == ""
