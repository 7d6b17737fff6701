"""Retention periods and the refusals they cause (SPEC M1)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.cases import retention
from crm.cases import services as case_services
from crm.cases.models import Document
from crm.cases.tests.factories import DocumentFactory, make_case
from crm.compliance import services
from crm.compliance.tests.helpers import close
from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_defaults_follow_the_regulators_minimums(firm):
    """SPEC M1: mortgage 3 years, protection 5, clients with no case 2."""
    periods = retention.periods(firm=firm)
    assert periods[AdviceKind.MORTGAGE] == 3
    assert periods[AdviceKind.PROTECTION] == 5
    assert periods[retention.NO_CASE] == 2


def test_a_period_below_the_minimum_is_refused(firm, owner):
    """SPEC M1: protection records cannot be kept for less than 5 years."""
    with pytest.raises(ApplicationError, match="at least 5 years"):
        services.retention_periods_save(
            firm=firm, actor=owner.user, years={AdviceKind.PROTECTION: 4}
        )
    saved = services.retention_periods_save(
        firm=firm, actor=owner.user, years={AdviceKind.PROTECTION: 7}
    )
    assert saved[AdviceKind.PROTECTION] == 7


def test_an_open_case_holds_its_client(firm):
    """SPEC M1: a client with an open case is kept while the work goes on."""
    case = make_case(firm)
    hold = retention.contact_hold(firm=firm, contact=case.applicants.get().contact)
    assert hold is not None
    assert hold.until is None
    assert "still open" in hold.reason


def test_a_closed_case_holds_until_its_period_ends(firm, owner):
    """SPEC M1: measured from the case's closure, by the firm's period for its kind."""
    case = close(make_case(firm), years_ago=1)
    contact = case.applicants.get().contact
    hold = retention.contact_hold(firm=firm, contact=contact)
    assert hold is not None
    assert hold.until == retention.plus_years(timezone.localdate(case.closed_at), 3)
    services.retention_periods_save(
        firm=firm, actor=owner.user, years={AdviceKind.MORTGAGE: 6}
    )
    hold = retention.contact_hold(firm=firm, contact=contact)
    assert hold is not None
    assert hold.until == retention.plus_years(timezone.localdate(case.closed_at), 6)
    close(case, years_ago=7)
    assert retention.contact_hold(firm=firm, contact=contact) is None


def test_a_client_with_no_case_is_measured_from_last_activity(firm):
    """SPEC M1: two years (the default) after the last change to their record."""
    contact = ContactFactory(firm=firm)
    assert retention.contact_hold(firm=firm, contact=contact) is not None
    Contact.objects.filter(pk=contact.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=800)
    )
    contact.refresh_from_db()
    assert retention.contact_hold(firm=firm, contact=contact) is None


def test_deleting_a_document_inside_retention_is_refused_with_the_end_date(firm, owner):
    """SPEC M1: the service refuses, naming the reason and the date it ends."""
    case = close(make_case(firm), years_ago=1)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
        document = DocumentFactory(case=case)
    until = retention.plus_years(timezone.localdate(case.closed_at), 3)
    with pytest.raises(ApplicationError, match="must be kept until") as caught:
        case_services.document_delete(firm=firm, actor=owner.user, document=document)
    assert caught.value.code == "retained"
    assert caught.value.extra["until"] == until.isoformat()
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_fresh_upload_may_be_deleted_to_correct_a_mistake(firm, owner):
    """SPEC M1: a document uploaded in the last day is not yet held."""
    document = DocumentFactory(case=make_case(firm))
    case_services.document_delete(firm=firm, actor=owner.user, document=document)
    assert not Document.objects.filter(pk=document.pk).exists()


def test_document_delete_page_says_why_it_refused(firm, owner_client):
    """SPEC M1: the page shows the refusal, not an error page."""
    case = close(make_case(firm), years_ago=1)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3)):
        document = DocumentFactory(case=case)
    response = owner_client.post(f"/documents/{document.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert "must be kept until" in response.content.decode()


def test_retention_page_saves_and_keeps_bad_input(owner_client, firm):
    """SPEC M1: below-minimum input gets a clear message with the input kept."""
    response = owner_client.post(
        "/settings/retention/",
        {"years_mortgage": "2", "years_protection": "5", "years_no_case": "2"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mortgage records must be kept at least 3 years." in body
    assert 'value="2"' in body
    response = owner_client.post(
        "/settings/retention/",
        {"years_mortgage": "4", "years_protection": "5", "years_no_case": "1"},
    )
    assert response.status_code == 302
    assert retention.periods(firm=firm)[AdviceKind.MORTGAGE] == 4


def test_retention_page_needs_manage_firm(adviser_client):
    """Only members who manage the firm set retention."""
    assert adviser_client.get("/settings/retention/").status_code == 403
