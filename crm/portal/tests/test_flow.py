"""The portal end to end: invite, e-mail, set password, consent, Done (E8, H1-H3)."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.cases.models import CaseEvent
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory
from crm.portal import consent
from crm.portal.choices import ActionKind, ActionStatus
from crm.portal.models import CreditConsent, PortalAccount, RequestedAction
from crm.portal.services import mail as mail_service
from crm.portal.tests.factories import (
    PortalAccountFactory,
    client_for,
    make_action,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32
PASSWORD = "a-long-fresh-passphrase"


def _link(message) -> str:
    found = re.search(r"http://testserver(/portal/invitations/[^/\s]+/)", message.body)
    assert found is not None
    return found.group(1)


def _invite(client, case, contact, *kinds):
    return client.post(
        f"/cases/{case.pk}/invite/",
        {f"actions_{contact.pk}": list(kinds), "from": "wizard"},
    )


@pytest.fixture(autouse=True)
def _send_at_once(monkeypatch):
    """Send the mail services queue with on_commit at once (tests do not commit)."""
    monkeypatch.setattr(
        mail_service, "transaction", SimpleNamespace(on_commit=lambda fn: fn())
    )


@pytest.fixture
def case(firm, adviser):
    contact = ContactFactory(firm=firm, email="ann.client@example.com")
    return make_case(firm, applicants=[contact], owner=adviser.user)


@pytest.mark.django_db
def test_invited_client_sets_password_confirms_consent_and_adviser_sees_done(
    firm, adviser, login, case
):
    """The whole path: invite, branded e-mail, set password, consent, Done."""
    staff = login(adviser)
    contact = case.applicants.first().contact
    response = _invite(staff, case, contact, "identity", "credit_consent")
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann.client@example.com"]
    assert firm.name in message.subject
    assert firm.name in message.from_email
    assert "Identity verification" in message.body
    assert "Credit consent" in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]  # EmailMultiAlternatives
    assert firm.name in html
    link = _link(message)

    client = type(staff)()
    page = client.get(link)
    assert page.status_code == 200
    assert f"Welcome to {firm.name}" in page.content.decode()
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    home = client.get("/portal/").content.decode()
    assert "Credit consent" in home
    assert "Getting started" in home

    action = RequestedAction.objects.get(kind=ActionKind.CREDIT_CONSENT)
    response = client.post(
        f"/portal/actions/{action.pk}/consent/",
        {"version": consent.CURRENT, "agree": "on"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    record = CreditConsent.objects.get(action=action)
    assert record.text_version == consent.CURRENT
    assert record.ip_address == "203.0.113.9"
    assert record.confirmed_at is not None

    page = staff.get(case.get_absolute_url()).content.decode()
    assert "Client actions" in page
    assert "Credit consent confirmed by" in page
    assert client.get(link).status_code == 410  # single use


@pytest.mark.django_db
def test_forged_invite_from_member_without_action_log_is_refused(
    firm, read_only, login, case
):
    """A member without the action log permission gets 403 and nothing is sent."""
    member = MembershipFactory(firm=firm, role=Role.ADVISER)
    member.revoked = ["action_log"]
    member.save()
    contact = case.applicants.first().contact
    for who in (member, read_only):
        response = _invite(login(who), case, contact, "identity")
        assert response.status_code == 403
    assert RequestedAction.objects.count() == 0
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_wizard_done_shows_invite_step_only_with_the_permission(
    firm, adviser, login, case
):
    """With the action log permission the invite step replaces the confirmation."""
    with_perm = login(adviser).get(f"/cases/new/done/{case.pk}/").content.decode()
    assert "Invite client" in with_perm
    assert "Send Email" in with_perm
    member = MembershipFactory(firm=firm, role=Role.ADVISER)
    member.revoked = ["action_log"]
    member.save()
    without = login(member).get(f"/cases/new/done/{case.pk}/").content.decode()
    assert "Case created" in without
    assert "Send Email" not in without


@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["expired", "used", "tampered"])
def test_bad_invitation_links_get_clear_pages(firm, adviser, login, case, problem):
    """Expired and used links answer 410, a made-up one 404, never a 500."""
    contact = case.applicants.first().contact
    _invite(login(adviser), case, contact, "credit_consent")
    link = _link(mail.outbox[0])
    client = type(login(adviser))()
    from crm.portal.models import PortalInvitation

    invitation = PortalInvitation.objects.get()
    if problem == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
        invitation.save()
        expected, text = 410, "expired"
    elif problem == "used":
        client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
        client = type(client)()
        expected, text = 410, "already been used"
    else:
        link = link[:-5] + "xxxx/"
        expected, text = 404, "isn't valid"
    for method in ("get", "post"):
        response = getattr(client, method)(link, {"password1": "x", "password2": "x"})
        assert response.status_code == expected
        assert text in response.content.decode()


@pytest.mark.django_db
def test_client_sees_only_own_actions_on_a_joint_case(firm):
    """A joint applicant sees the shared case but not the other's actions."""
    ann, bob = ContactFactory(firm=firm), ContactFactory(firm=firm)
    case = make_case(firm, applicants=[ann, bob])
    mine = make_action(firm, case=case, contact=ann, kind=ActionKind.IDENTITY)
    theirs = make_action(firm, case=case, contact=bob, kind=ActionKind.IDENTITY)
    client = client_for(PortalAccountFactory(contact=ann))
    assert client.get(f"/portal/cases/{case.pk}/").status_code == 200
    assert client.get(f"/portal/actions/{mine.pk}/").status_code == 200
    assert client.get(f"/portal/actions/{theirs.pk}/").status_code == 404
    other_case = make_case(firm)
    assert client.get(f"/portal/cases/{other_case.pk}/").status_code == 404


@pytest.mark.django_db
def test_portal_client_gets_404_on_staff_pages_and_staff_403_on_portal(
    firm, owner_client, case
):
    """The two kinds of login never open each other's pages."""
    client = client_for(PortalAccountFactory(contact=ContactFactory(firm=firm)))
    for path in ("/", case.get_absolute_url(), "/clients/", "/cases/new/"):
        assert client.get(path).status_code == 404
    assert owner_client.get("/portal/").status_code == 403
    assert type(owner_client)().get("/portal/").status_code == 302


@pytest.mark.django_db
def test_identity_upload_then_staff_reject_then_approve(firm, adviser, login, case):
    """The client uploads ID and address; staff reject with a reason, then approve."""
    contact = case.applicants.first().contact
    action = make_action(firm, case=case, contact=contact, kind=ActionKind.IDENTITY)
    client = client_for(PortalAccountFactory(contact=contact))

    def upload():
        return client.post(
            f"/portal/actions/{action.pk}/upload/",
            {
                "id_document": SimpleUploadedFile("passport.png", PNG),
                "proof_of_address": SimpleUploadedFile("bill.png", PNG),
            },
        )

    assert upload().status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.uploads.count() == 2
    staff = login(adviser)
    url = f"/client-actions/{action.pk}/review/"
    staff.post(url, {"decision": "reject", "reason": ""})
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS  # a reason is required
    staff.post(url, {"decision": "reject", "reason": "The photo is blurred."})
    action.refresh_from_db()
    assert action.status == ActionStatus.REQUESTED
    page = client.get(f"/portal/actions/{action.pk}/").content.decode()
    assert "The photo is blurred." in page
    assert upload().status_code == 302
    staff.post(url, {"decision": "approve"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert "Approved" in client.get("/portal/actions/").content.decode()
    types = set(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert {"identity_rejected", "identity_approved", "action_uploaded"} <= types


@pytest.mark.django_db
def test_remind_and_cancel_are_case_events(firm, adviser, login, case):
    """Re-send reminder e-mails the client; cancel hides the action from them."""
    contact = case.applicants.first().contact
    action = make_action(firm, case=case, contact=contact)
    staff = login(adviser)
    staff.post(f"/client-actions/{action.pk}/remind/")
    assert mail.outbox[-1].subject.startswith("Reminder:")
    staff.post(f"/client-actions/{action.pk}/cancel/")
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    types = set(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert {"action_reminded", "action_cancelled"} <= types
    client = client_for(PortalAccountFactory(contact=contact))
    assert client.get(f"/portal/actions/{action.pk}/").status_code == 404


@pytest.mark.django_db
def test_portal_login_is_rate_limited(firm):
    """Five wrong passwords lock the address out, right password or not."""
    account = PortalAccountFactory(contact=ContactFactory(firm=firm))
    client = type(client_for(account))()
    for _ in range(5):
        response = client.post(
            "/portal/login/", {"email": account.email, "password": "wrong"}
        )
        assert "Enter the e-mail address" in response.content.decode()
    response = client.post(
        "/portal/login/", {"email": account.email, "password": "a-client-passphrase"}
    )
    assert "Too many failed attempts" in response.content.decode()


@pytest.mark.django_db
def test_staff_preview_shows_the_clients_portal_read_only(firm, adviser, login, case):
    """View client account renders the portal's home for that client, labelled."""
    contact = case.applicants.first().contact
    make_action(firm, case=case, contact=contact)
    page = login(adviser).get(f"/clients/{contact.pk}/portal-preview/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Preview: this is what" in text
    assert "<form" not in text


@pytest.mark.django_db
def test_tracker_follows_the_case_status(firm, case):
    """Moving the case moves the client's tracker."""
    contact = case.applicants.first().contact
    client = client_for(PortalAccountFactory(contact=contact))
    case.status = "valuation_instructed"
    case.save()
    text = client.get("/portal/").content.decode()
    assert "Your application is with the lender" in text
    assert 'aria-current="step"' in text


@pytest.mark.django_db
def test_portal_home_and_case_section_query_counts(
    firm, adviser, login, case, django_assert_num_queries
):
    """The portal home and the case page's action log have fixed query counts."""
    contact = case.applicants.first().contact
    for kind in (ActionKind.IDENTITY, ActionKind.CREDIT_CONSENT, ActionKind.DOCUMENT):
        make_action(firm, case=case, contact=contact, kind=kind)
    for _ in range(2):
        make_case(firm, applicants=[contact])
    client = client_for(PortalAccountFactory(contact=contact))
    with django_assert_num_queries(6):
        assert client.get("/portal/").status_code == 200
    staff = login(adviser)
    from crm.cases.selectors.case_read import case_get
    from crm.portal import registry

    page_case = case_get(firm=firm, case_id=case.pk)  # as the case page loads it
    with django_assert_num_queries(3):  # actions, their uploads, portal accounts
        registry._action_log(firm=firm, case=page_case, contact=contact, principal=None)
    assert PortalAccount.objects.count() == 1
    assert staff.get(case.get_absolute_url()).status_code == 200
