"""The Leads list's rows drawn in Python read as its templates draw them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.contacts.tests.factories import ContactFactory
from crm.core.tests.rows import both_ways
from crm.firms.tests.factories import IntroducerFactory
from crm.leads.choices import LeadSource, LeadStatus
from crm.leads.models import Lead
from crm.leads.tests.factories import LeadFactory
from crm.leads.views import LEAD_LIST

pytestmark = pytest.mark.django_db

NASTY = '<b>O\'Brien & "Sons"</b>'


def test_rows_drawn_in_python_match_the_templates(
    owner_client, firm, owner, monkeypatch
):
    """Every status and source, introducers, owners and follow-ups draw alike."""
    today = timezone.localdate()
    follow_ups = [None, today - timedelta(days=2), today, today + timedelta(days=5)]
    introducer = IntroducerFactory(firm=firm, name=NASTY)
    statuses, sources = list(LeadStatus.values), list(LeadSource.values)
    made = 14
    for i in range(made):
        lead = LeadFactory(
            contact=ContactFactory(firm=firm, first_name=NASTY if i % 2 else "Ann"),
            status=statuses[i % len(statuses)],
            source=sources[i % len(sources)],
            introducer=introducer if i % 3 == 0 else None,
            owner=owner.user if i % 2 else None,
            follow_up_date=follow_ups[i % 4],
        )
        created = datetime(2024, 1 + i % 12, 28, 23, 30, tzinfo=UTC)
        Lead.objects.filter(pk=lead.pk).update(created_at=created)
    for sort in ("", "follow_up", "-status"):
        url = reverse("leads:lead_list") + f"?sort={sort}"
        drawn, templated = both_ways(owner_client, url, monkeypatch)
        assert LEAD_LIST.row_drawer is not None
        assert drawn == templated
        assert drawn[1].count("<tr>") == made + 1
        assert "Overdue" in drawn[1]
        assert "Due today" in drawn[1]
