"""Leads with several needs: Add New Case on a converted lead, its cases (SPEC C3)."""

import pytest
from django.urls import reverse

from crm.advice.choices import AdviceKind
from crm.advice.tests.test_wizard_views import PROTECTION, existing, post, step_url
from crm.cases.models import Case
from crm.cases.tests.factories import make_case
from crm.firms.choices import Perm
from crm.firms.tests.factories import MembershipFactory
from crm.leads.choices import LeadEventType, LeadStatus
from crm.leads.models import LeadEvent
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db

START = reverse("advice:wizard_start")


def text(response):
    return response.content.decode()


def add_case_link(lead):
    return f"{START}?contact={lead.contact_id}&amp;lead={lead.pk}"


def test_converted_lead_keeps_add_new_case(firm, adviser_client):
    """SPEC C3: a converted lead still offers Add New Case, pre-filled from the lead."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.CONVERTED)
    body = text(adviser_client.get(lead.get_absolute_url()))
    assert "Add New Case" in body
    assert add_case_link(lead) in body
    assert "protection after the mortgage" in body


def test_not_proceeding_lead_offers_no_new_case(firm, adviser_client):
    """SPEC C3: a lead that is not proceeding is reopened before a case is added."""
    lead = LeadFactory(contact__firm=firm, status=LeadStatus.NOT_PROCEEDING)
    assert add_case_link(lead) not in text(adviser_client.get(lead.get_absolute_url()))


def test_second_case_from_a_converted_lead_is_linked_and_listed(
    firm, adviser, adviser_client
):
    """SPEC C3: a protection case added from a converted lead links to the same lead;
    the lead stays Converted and lists both cases, and its history says so."""
    lead = LeadFactory(contact__firm=firm, owner=adviser.user)
    mortgage = make_case(firm, applicants=[lead.contact], owner=adviser.user, lead=lead)
    lead.refresh_from_db()
    converted_at = lead.converted_at
    assert lead.status == LeadStatus.CONVERTED

    assert adviser_client.get(f"{START}?contact={lead.contact_id}&lead={lead.pk}").url
    assert post(adviser_client, "product", PROTECTION).status_code == 302
    page = text(adviser_client.get(step_url("main")))
    assert lead.contact.display_name in page
    post(adviser_client, "main", existing(lead.contact))
    post(adviser_client, "introducer", {})
    post(adviser_client, "adviser", {"owner": adviser.user_id, "status": "new_lead"})

    protection = Case.objects.get(firm=firm, kind=AdviceKind.PROTECTION)
    assert protection.lead_id == lead.pk
    assert protection.applicants.get().contact_id == lead.contact_id
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONVERTED
    assert lead.converted_at == converted_at
    body = text(adviser_client.get(lead.get_absolute_url()))
    assert mortgage.reference in body
    assert protection.reference in body
    assert (
        LeadEvent.objects.filter(
            firm=firm, lead=lead, type=LeadEventType.CONVERTED
        ).count()
        == 2
    )


def test_lead_page_lists_only_the_cases_a_member_may_see(firm, login):
    """SPEC C3, A4: with "View own cases only" the lead lists the member's own cases."""
    member = MembershipFactory(firm=firm, role="adviser")
    member.revoked = [Perm.VIEW_ALL_CASES]
    member.granted = [Perm.VIEW_OWN_CASES]
    member.save()
    lead = LeadFactory(contact__firm=firm)
    mine = make_case(firm, applicants=[lead.contact], owner=member.user, lead=lead)
    theirs = make_case(
        firm, kind=AdviceKind.PROTECTION, applicants=[lead.contact], lead=lead
    )
    body = text(login(member).get(lead.get_absolute_url()))
    assert mine.reference in body
    assert theirs.reference not in body


def test_lead_history_names_each_case(firm, adviser, adviser_client):
    """SPEC C3: the History tells the conversion from a later need's case, without
    naming cases (the Cases card lists those the reader may see)."""
    lead = LeadFactory(contact__firm=firm, owner=adviser.user)
    first = make_case(firm, applicants=[lead.contact], lead=lead)
    lead.refresh_from_db()
    second = make_case(
        firm, kind=AdviceKind.PROTECTION, applicants=[lead.contact], lead=lead
    )
    body = text(adviser_client.get(lead.get_absolute_url()))
    history = body.split('id="history', 1)[1]
    assert "Converted to a case" in history
    assert "Another case added from the lead" in history
    assert first.reference not in history
    assert second.reference not in history
