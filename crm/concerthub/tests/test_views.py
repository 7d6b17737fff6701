"""Concert Hub pages: the case card, Send, amend, Submissions, settings (G4-G6)."""

import pytest
from django.urls import reverse

from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import NetworkAdviser, NetworkFirm, Submission
from crm.concerthub.tests.factories import make_submission, ready_case, set_network
from crm.concerthub.tests.helpers import drain
from crm.core.outbox.models import OutboxMessage
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.protection.tests.factories import make_policy, protection_case


def url(name, **kwargs):
    return reverse(f"concerthub:{name}", kwargs=kwargs)


def text(response):
    return response.content.decode()


def test_a_case_not_sent_shows_the_send_button_and_what_blocks_it(owner_client, firm):
    """G4: the card says Not sent and points at Readiness while blockers remain."""
    case = protection_case(firm)
    make_policy(case, benefit_type="pmi")
    body = text(owner_client.get(case.get_absolute_url()))
    assert 'id="concert-hub"' in body
    assert "Not sent" in body
    assert "Send to Concert Hub" in body
    assert "PMI is not supported by Concert Hub" in body
    assert "The firm&#x27;s network Firm ID" in body


def test_send_with_blockers_is_refused_with_a_message(owner_client, firm):
    case = protection_case(firm, complete=False)
    response = owner_client.post(url("send", case_id=case.pk), follow=True)
    assert "must be fixed before sending to Concert Hub" in text(response)
    assert not Submission.objects.exists()


def test_send_queues_then_the_card_shows_received(owner_client, firm, hub):
    """Send, the worker delivers, the polled card says Received (seed 003, 7)."""
    case = ready_case(firm)
    response = owner_client.post(url("send", case_id=case.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("#concert-hub")
    card = text(owner_client.get(url("case_section", case_id=case.pk)))
    assert "Queued" in card
    assert 'hx-trigger="every 2s"' in card
    drain()
    card = text(owner_client.get(url("case_section", case_id=case.pk)))
    assert "Received" in card
    assert "CH-000001" in card
    assert "Amend and resubmit" in card
    assert "every 2s" not in card


def test_a_rejection_shows_the_troubleshooting_panel(owner_client, firm, hub):
    """G6: each partner error on our field with a link, and Resubmit."""
    case = ready_case(firm, term_years=None)
    owner_client.post(url("send", case_id=case.pk))
    drain()
    body = text(owner_client.get(case.get_absolute_url()))
    policy = case.protection_policies.get()
    assert "What to fix" in body
    assert f"/policies/{policy.pk}/edit/#id_term_years" in body
    assert "Resubmit" in body


def test_members_without_the_permission_cannot_send(login, firm, read_only):
    """Only members with "Submit to Concert Hub" send; others see no button."""
    case = ready_case(firm)
    client = login(read_only)
    assert "Send to Concert Hub" not in text(client.get(case.get_absolute_url()))
    assert client.post(url("send", case_id=case.pk)).status_code == 403
    administrator = MembershipFactory(firm=firm, role=Role.ADMINISTRATOR)
    assert login(administrator).post(url("send", case_id=case.pk)).status_code == 403


def test_amend_asks_why_and_keeps_what_was_typed(owner_client, firm, hub):
    case = ready_case(firm)
    owner_client.post(url("send", case_id=case.pk))
    drain()
    response = owner_client.post(url("amend", case_id=case.pk), {"reason": ""})
    assert response.status_code == 200
    assert "This field is required" in text(response)
    response = owner_client.post(
        url("amend", case_id=case.pk), {"reason": "More cover"}, follow=True
    )
    assert "Amendment started" in text(response)
    assert "Send the amendment" in text(response)
    response = owner_client.post(url("amend_cancel", case_id=case.pk), follow=True)
    assert "Amendment cancelled" in text(response)


def test_failed_submission_can_be_sent_again(owner_client, firm, hub):
    case = ready_case(firm)
    owner_client.post(url("send", case_id=case.pk))
    submission = Submission.objects.get()
    OutboxMessage.objects.update(max_attempts=1)
    hub.app.faults.configure({"rates": {"500": 1.0}})
    drain()
    body = text(owner_client.get(case.get_absolute_url()))
    assert "Failed - needs attention" in body
    assert "Send again" in body
    hub.app.faults.configure({})
    owner_client.post(url("redrive", submission_id=submission.pk))
    drain()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECEIVED


def test_submissions_page_lists_what_needs_attention(owner_client, firm):
    """G6: rejected and failed first; each view has its empty state."""
    rejected = make_submission(firm, last_error="Expected integer.")
    make_submission(firm, status=SubmissionStatus.RECEIVED, partner_id="CH-000009")
    body = text(owner_client.get(url("submission_list")))
    assert rejected.case.reference in body
    assert "CH-000009" not in body
    body = text(owner_client.get(url("submission_list") + "?view=received"))
    assert "CH-000009" in body
    body = text(owner_client.get(url("submission_list") + "?view=in_flight"))
    assert "No submissions here yet" in body
    junk = owner_client.get(url("submission_list") + "?view=junk&page=x")
    assert junk.status_code == 200


@pytest.mark.parametrize("rows", [1, 4])
def test_submissions_page_query_count(
    owner_client, firm, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_submission(firm)
    # session, user with memberships; count; the page of submissions with cases
    with django_assert_num_queries(4):
        owner_client.get(url("submission_list"))


def test_submission_page_shows_what_was_sent(owner_client, firm):
    submission = make_submission(firm, payload={"case_reference": "PRO-1"})
    body = text(owner_client.get(url("submission_detail", submission_id=submission.pk)))
    assert "PRO-1" in body
    assert "Attempts" in body


def test_settings_check_the_firm_id_with_the_partner(owner_client, firm, hub):
    """G4: a Firm ID the partner does not know is refused and kept in the form."""
    response = owner_client.post(url("network"), {"firm_id": "F999999"})
    assert "Concert Hub does not know the Firm ID F999999" in text(response)
    assert 'value="F999999"' in text(response)
    response = owner_client.post(url("network"), {"firm_id": "nope"})
    assert "F and 6 digits" in text(response)
    response = owner_client.post(url("network"), {"firm_id": "f100001"}, follow=True)
    assert "Firm ID F100001 saved" in text(response)
    assert NetworkFirm.objects.get(firm=firm).network_firm_id == "F100001"


def test_settings_refuse_an_unchecked_id_when_the_partner_is_down(
    owner_client, firm, settings
):
    settings.CONCERT_HUB_URL = "http://127.0.0.1:9"
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1:9"]
    response = owner_client.post(url("network"), {"firm_id": "F100001"})
    assert "Could not check it with Concert Hub" in text(response)
    assert not NetworkFirm.objects.exists()


def test_settings_check_the_adviser_uid_belongs_to_the_firm(
    owner_client, firm, adviser, hub
):
    set_network(firm)
    action = url("network_adviser", membership_id=adviser.pk)
    response = owner_client.post(action, {"uid": "A200003"})
    assert "not this firm&#x27;s F100001" in text(response)
    response = owner_client.post(action, {"uid": "A200002"}, follow=True)
    assert "Adviser UID A200002 saved" in text(response)
    assert NetworkAdviser.objects.get(user=adviser.user).adviser_uid == "A200002"
    owner_client.post(action, {"uid": ""})
    assert not NetworkAdviser.objects.exists()


def test_settings_page_query_count(owner_client, firm, django_assert_num_queries):
    MembershipFactory.create_batch(3, firm=firm)
    # session, user with memberships; network firm; members; their UIDs
    with django_assert_num_queries(5):
        response = owner_client.get(url("network"))
    assert "Not set: no case can be sent" in text(response)


def test_settings_are_for_members_who_manage_the_firm(login, firm, adviser):
    assert login(adviser).get(url("network")).status_code == 403
