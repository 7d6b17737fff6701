"""Support case forms: Create case, Edit, close, reopen and concern level."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from crm.cases.choices import CaseEventType
from crm.cases.models import Case, CaseEvent
from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory
from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.support import services
from crm.support.choices import SupportEventType
from crm.support.models import OpenPeriod, SupportDetails
from crm.support.tests.factories import make_pathway
from crm.support.tests.pages import _case, flashes, text, url

pytestmark = pytest.mark.django_db

CREATE = reverse("support:case_create")


def _post(sup_owner, contact, **extra):
    data = {
        "title": "Housing support",
        "beneficiary_mode": "existing",
        "beneficiary": contact.pk if contact else "",
        "case_manager": sup_owner.user.pk,
        "start_date": "2026-03-02",
        "duration": "open_ended",
        "expected_end_date": "",
        "concern_level": "low",
        "note": "Referred by the council.",
    }
    return data | extra


# Create case (I1)


def test_create_form_defaults(sup_client, support_firm, sup_owner, ada):
    """I1: defaults are me, today, Open-ended and Low; ?contact= picks the person."""
    response = sup_client.get(CREATE, {"contact": ada.pk})
    body = text(response)
    assert response.status_code == 200
    assert f'<option value="{sup_owner.user.pk}" selected>' in body
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in body
    assert 'id="id_duration_0" checked' in body
    assert 'id="id_concern_level_0" checked' in body
    assert "<span data-combobox-selected-label>Ada Lovelace</span>" in body
    assert 'name="pathway"' not in body
    make_pathway(support_firm)
    assert 'name="pathway"' in text(sup_client.get(CREATE))


def test_create_opens_the_case_and_redirects(sup_client, support_firm, sup_owner, ada):
    """I1: Save opens the case for the contact and goes to its page."""
    pathway = make_pathway(support_firm)
    data = _post(sup_owner, ada, pathway=pathway.pk, concern_level="high")
    response = sup_client.post(CREATE, data)
    case = Case.objects.get(firm=support_firm)
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert flashes(response) == [f"Case {case.reference} created."]
    assert case.title == "Housing support"
    assert case.owner == sup_owner.user
    assert case.applicants.get().contact == ada
    assert case.client_sort_name == ada.sort_name  # the client sort (issue 21)
    details = SupportDetails.objects.get(case=case)
    assert (details.start_date, details.pathway, details.concern_level) == (
        date(2026, 3, 2),
        pathway,
        "high",
    )
    assert CaseEvent.objects.filter(case=case, type=CaseEventType.CREATED).exists()


def test_create_with_a_new_contact(sup_client, support_firm, sup_owner):
    """I1: a new person typed in is created as a contact with the case."""
    data = _post(
        sup_owner,
        None,
        beneficiary_mode="new",
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.org",
        mobile="07700 900222",
    )
    response = sup_client.post(CREATE, data)
    assert response.status_code == 302
    contact = Contact.objects.get(firm=support_firm, last_name="Hopper")
    assert Case.objects.get(firm=support_firm).applicants.get().contact == contact


def test_create_new_contact_duplicate_is_held_back(
    sup_client, support_firm, sup_owner, ada
):
    """A new person matching a contact's e-mail needs "use" or a confirmation."""
    data = _post(
        sup_owner,
        None,
        beneficiary_mode="new",
        first_name="Ada",
        last_name="L",
        email="ADA@example.org",
    )
    body = text(sup_client.post(CREATE, data))
    assert "already exists" in body
    assert "Use this contact instead" in body
    assert not Case.objects.filter(firm=support_firm).exists()
    response = sup_client.post(CREATE, data | {"use_contact": ada.pk})
    assert response.status_code == 302
    assert Case.objects.get(firm=support_firm).applicants.get().contact == ada
    # Another person may share a phone, never an e-mail (A10).
    response = sup_client.post(CREATE, data | {"confirm_new": "on"})
    assert response.status_code == 200
    assert "Ada Lovelace already has this e-mail address" in text(response)
    same_phone = data | {"email": "", "mobile": ada.mobile, "confirm_new": "on"}
    response = sup_client.post(CREATE, same_phone)
    assert response.status_code == 302
    assert Contact.objects.filter(firm=support_firm, last_name="L").count() == 1


def test_create_fixed_needs_an_end_date_not_before_start(
    sup_client, support_firm, sup_owner, ada
):
    """I1: Fixed without an end date, or ending before the start, is refused."""
    data = _post(sup_owner, ada, duration="fixed", title="Typed title")
    body = text(sup_client.post(CREATE, data))
    assert "Enter the expected end date of a fixed-length case." in body
    assert 'value="Typed title"' in body
    assert 'aria-invalid="true"' in body
    data["expected_end_date"] = "2026-03-01"
    body = text(sup_client.post(CREATE, data))
    assert "The expected end date can&#x27;t be before the start date." in body
    assert not Case.objects.filter(firm=support_firm).exists()


def test_create_refused_case_leaves_no_new_contact(sup_client, support_firm, sup_owner):
    """A new contact and a refused case are one transaction: nothing is kept."""
    data = _post(
        sup_owner,
        None,
        beneficiary_mode="new",
        first_name="Alan",
        last_name="Turing",
        duration="fixed",
    )
    body = text(sup_client.post(CREATE, data))
    assert "Enter the expected end date" in body
    assert 'value="Turing"' in body
    assert not Contact.objects.filter(firm=support_firm, last_name="Turing").exists()


def test_create_requires_title_beneficiary_and_manager(
    sup_client, support_firm, sup_owner
):
    """I1: Title, Beneficiary and Case manager are required."""
    data = _post(sup_owner, None, title="", case_manager="")
    body = text(sup_client.post(CREATE, data))
    assert "This field is required." in body
    assert "Choose a case manager." in body
    assert "Search for the beneficiary and choose them." in body


def test_create_refuses_another_firms_or_an_organisation_contact(
    sup_client, support_firm, other_firm, sup_owner
):
    """The beneficiary must be a person among the firm's own contacts."""
    for contact in (
        ContactFactory(firm=other_firm),
        OrganisationFactory(firm=support_firm),
    ):
        body = text(sup_client.post(CREATE, _post(sup_owner, contact)))
        assert "Search for the beneficiary and choose them." in body
    assert not Case.objects.filter(firm=support_firm).exists()


# Edit (I2)


def test_edit_changes_details_but_shows_beneficiary_read_only(
    sup_client, support_firm, sup_owner, ada
):
    """I2: Edit saves title, manager, duration and dates; the beneficiary is fixed."""
    case = _case(support_firm, beneficiary=ada)
    body = text(sup_client.get(url("case_edit", case)))
    assert "The beneficiary cannot be changed after the case is created." in body
    assert 'name="beneficiary"' not in body
    data = _post(
        sup_owner,
        ada,
        title="New title",
        duration="fixed",
        expected_end_date="2026-09-30",
    )
    response = sup_client.post(url("case_edit", case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "New title"
    details = SupportDetails.objects.get(case=case)
    assert (details.duration, details.expected_end_date) == ("fixed", date(2026, 9, 30))
    assert CaseEvent.objects.filter(case=case, type=CaseEventType.UPDATED).exists()
    assert AuditEvent.objects.filter(verb=AuditVerb.UPDATE, object_id=case.pk).exists()


@pytest.mark.parametrize("field", ["beneficiary", "contact"])
@pytest.mark.parametrize("forged", ["other", "unknown", "junk"])
def test_edit_refuses_a_forged_beneficiary(
    sup_client, support_firm, sup_owner, ada, field, forged
):
    """I2: a posted beneficiary other than the current one is refused; nothing saved."""
    case = _case(support_firm, beneficiary=ada, title="Before")
    value = {
        "other": ContactFactory(firm=support_firm).pk,
        "unknown": 99999999,
        "junk": "²",
    }[forged]
    data = _post(sup_owner, ada, title="After") | {field: value}
    response = sup_client.post(url("case_edit", case), data)
    assert response.status_code == 200
    assert services.BENEFICIARY_FIXED in text(response)
    case.refresh_from_db()
    assert case.title == "Before"
    assert case.applicants.get().contact == ada


def test_edit_of_a_closed_case_is_refused(sup_client, support_firm, sup_owner):
    """I3: a closed case is read-only until reopened."""
    case = _case(support_firm)
    services.support_case_close(firm=support_firm, actor=sup_owner.user, case=case)
    for response in (
        sup_client.get(url("case_edit", case)),
        sup_client.post(url("case_edit", case), _post(sup_owner, None)),
        sup_client.get(url("concern_change", case)),
    ):
        assert response.status_code == 302
        assert response["Location"] == case.get_absolute_url()
        assert "This case is closed. Reopen it to make changes." in flashes(response)


# Close, reopen, concern (I3, I9)


def test_close_confirms_then_closes(sup_client, support_firm, sup_owner):
    """I3: a confirmation page, then the case closes and stays in Closed."""
    case = _case(support_firm)
    body = text(sup_client.get(url("case_close", case)))
    assert (
        f"Close case {case.reference}? It stays in the Closed tab and can be reopened."
        in body
    )
    response = sup_client.post(url("case_close", case), {"reason": "Housed"})
    assert response.status_code == 302
    assert flashes(response) == [f"{case.reference} closed."]
    case.refresh_from_db()
    assert case.is_open is False
    assert case.close_reason == "Housed"
    assert CaseEvent.objects.filter(case=case, type=CaseEventType.CLOSED).exists()
    assert sup_client.get(url("case_close", case)).status_code == 302


def test_reopen_needs_a_reason(sup_client, support_firm, sup_owner):
    """I3: reopening asks why; the case is Open again with a new open period."""
    case = _case(support_firm)
    services.support_case_close(firm=support_firm, actor=sup_owner.user, case=case)
    assert "Why is the case being reopened?" in text(
        sup_client.get(url("case_reopen", case))
    )
    body = text(sup_client.post(url("case_reopen", case), {"reason": ""}))
    assert "This field is required." in body
    response = sup_client.post(url("case_reopen", case), {"reason": "Back in touch"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_open is True
    assert OpenPeriod.objects.filter(case=case).count() == 2
    assert CaseEvent.objects.filter(case=case, type=CaseEventType.REOPENED).exists()
    assert sup_client.get(url("case_reopen", case)).status_code == 302


def test_concern_change_keeps_history(sup_client, support_firm, sup_owner):
    """I9: a new level with a reason; the same level or no reason is refused."""
    case = _case(support_firm)
    body = text(sup_client.get(url("concern_change", case)))
    assert 'id="id_level_0" checked' in body
    body = text(sup_client.post(url("concern_change", case), {"level": "high"}))
    assert "This field is required." in body
    assert 'id="id_level_2" checked' in body
    body = text(
        sup_client.post(url("concern_change", case), {"level": "low", "reason": "x"})
    )
    assert "The concern level is already Low." in body
    response = sup_client.post(
        url("concern_change", case), {"level": "urgent", "reason": "Eviction notice"}
    )
    assert response.status_code == 302
    assert flashes(response) == ["Concern level changed to Urgent."]
    assert SupportDetails.objects.get(case=case).concern_level == "urgent"
    event = CaseEvent.objects.get(case=case, type=SupportEventType.CONCERN_CHANGED)
    assert event.parameters == {
        "from": "low",
        "to": "urgent",
        "reason": "Eviction notice",
    }


def test_start_date_defaults_to_today_when_left_blank(
    sup_client, support_firm, sup_owner, ada
):
    """I1: a blank start date is today's date."""
    sup_client.post(CREATE, _post(sup_owner, ada, start_date=""))
    details = SupportDetails.objects.get(firm=support_firm)
    assert details.start_date == timezone.localdate()


def test_form_pages_query_counts(
    sup_client, support_firm, sup_owner, ada, django_assert_num_queries
):
    """Create case, Edit, Close and Concern run a fixed number of queries."""
    case = _case(support_firm, beneficiary=ada)
    make_pathway(support_firm)
    sup_client.get(CREATE)  # the process now keeps the owner picker's members
    # One more each before the process kept the member list (issue 21 item 1).
    for path, queries in (
        (CREATE, 3),
        (f"{CREATE}?contact={ada.pk}", 4),
        (url("case_edit", case), 6),
        (url("case_close", case), 6),  # + its open tasks and planned support
        (url("concern_change", case), 5),
    ):
        with django_assert_num_queries(queries):
            assert sup_client.get(path).status_code == 200
