"""The demo firm with both modules: a little advice and support (issue 13 item 6)."""

import pytest

from crm.advice import demo as advice_demo
from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases.models import Case, CaseApplicant, CaseEvent
from crm.contacts import demo as contacts_demo
from crm.contacts.models import Contact
from crm.firms import demo as firms_demo
from crm.firms.models import Membership
from crm.leads import demo as leads_demo
from crm.leads.choices import LeadStatus
from crm.leads.models import Lead
from crm.support import demo as support_demo
from crm.support.choices import SupportKind
from crm.tasks.models import Task

pytestmark = pytest.mark.django_db


def seed_all():
    firms = firms_demo.seed()
    contacts_demo.seed(firms)
    leads_demo.seed(firms)
    advice_demo.seed(firms)
    support_demo.seed(firms)
    return firms


def counts(firm):
    return tuple(
        model.objects.filter(firm=firm).count()
        for model in (Case, CaseEvent, Contact, Lead, Task, Membership)
    )


@pytest.fixture
def mixed():
    return seed_all()[firms_demo.MIXED_FIRM]


def test_one_demo_firm_has_both_modules_with_a_little_of_each(mixed, login):
    """Issue 13 item 6, SPEC C3: the mixed firm's client has a mortgage and a
    protection case from one lead, and a support case; a second lead is due.
    Header search, the client record and the dashboard show both modules."""
    assert mixed.has_advice is True
    assert mixed.has_support is True
    cases = Case.objects.filter(firm=mixed)
    mortgage = cases.get(kind=AdviceKind.MORTGAGE)
    protection = cases.get(kind=AdviceKind.PROTECTION)
    support = cases.get(kind=SupportKind.SUPPORT)
    assert mortgage.status == AdviceStatus.VALUATION_INSTRUCTED
    assert mortgage.lead_id == protection.lead_id
    assert mortgage.lead is not None
    assert mortgage.lead.status == LeadStatus.CONVERTED
    clients = {
        case.pk: set(
            CaseApplicant.objects.filter(case=case).values_list("contact", flat=True)
        )
        for case in (mortgage, protection, support)
    }
    assert clients[mortgage.pk] == clients[protection.pk] == clients[support.pk]
    assert Lead.objects.filter(firm=mixed, status=LeadStatus.NEW_LEAD).count() == 1
    # Walked through the services: the mortgage's history has each move.
    moves = CaseEvent.objects.filter(case=mortgage, type="status_changed")
    assert moves.count() >= 3
    contact = CaseApplicant.objects.get(case=support).contact
    owner = Membership.objects.get(firm=mixed, user__email="nadia.ellis@severn.example")
    client = login(owner)
    record = client.get(contact.get_absolute_url()).content.decode()
    assert support.reference in record
    assert mortgage.reference in record
    found = client.get("/search/", {"q": contact.last_name}).content.decode()
    assert contact.display_name in found
    for case in (mortgage, protection, support):
        assert case.reference in found
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert "My follow-ups" in body
    assert "My tasks" in body


def test_seed_twice_changes_nothing_in_the_mixed_firm(mixed):
    """Issue 13 item 6: seed_demo stays idempotent with the third firm."""
    first = counts(mixed)
    seed_all()
    assert counts(mixed) == first
