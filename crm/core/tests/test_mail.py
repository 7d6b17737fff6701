"""The dev mailbox backend and pages (K4)."""

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail

from crm.core.mail import DatabaseEmailBackend, send_templated_mail
from crm.core.models import StoredEmail
from crm.core.tests.factories import StoredEmailFactory

pytestmark = pytest.mark.django_db


def test_backend_stores_one_row_per_recipient(firm):
    """Each recipient gets its own stored copy, with the HTML part kept."""
    message = EmailMultiAlternatives(
        "Hi",
        "Body",
        "a@example.com",
        ["X@Example.com", "y@example.com"],
        headers={"X-Casework-Firm": str(firm.pk)},
    )
    message.attach_alternative("<p>Body</p>", "text/html")
    assert DatabaseEmailBackend().send_messages([message]) == 1
    rows = StoredEmail.objects.order_by("recipient")
    assert [r.recipient for r in rows] == ["x@example.com", "y@example.com"]
    assert rows[0].html_body == "<p>Body</p>"
    assert rows[0].firm == firm


def test_templated_mail_uses_the_firm_name_as_sender(db_mail, firm):
    """Firm mail is sent as '<Firm> via Casework' and tagged with the firm."""
    send_templated_mail(
        firm=firm,
        to="someone@example.com",
        template="firms/email/password_reset",
        context={
            "user": {"first_name": "Al", "email": "a@x"},
            "protocol": "http",
            "domain": "x",
            "uid": "u",
            "token": "t",
        },
    )
    row = StoredEmail.objects.get()
    assert row.from_email.startswith('"Harbour Mortgages via Casework"') or (
        row.from_email.startswith("Harbour Mortgages via Casework")
    )
    assert row.firm == firm


def test_mailbox_shows_own_mail_and_mail_one_sent(owner_client, owner, firm):
    """A member sees mail to them and mail their actions sent, nothing else."""
    StoredEmailFactory(firm=None, recipient=owner.user.email, subject="To the owner")
    StoredEmailFactory(firm=firm, actor=owner.user, subject="Sent by the owner")
    StoredEmailFactory(firm=firm, subject="Firm mail sent by someone else")
    StoredEmailFactory(firm=None, recipient="stranger@example.com", subject="Stranger")
    body = owner_client.get("/dev/mailbox/").content.decode()
    assert "To the owner" in body
    assert "Sent by the owner" in body
    assert "Firm mail sent by someone else" not in body
    assert "Stranger" not in body


def test_owner_cannot_read_a_shared_members_password_reset(owner, other_firm, login):
    """Another firm's owner never sees a reset link for a member they share."""
    from crm.firms.tests.factories import MembershipFactory

    rival_owner = MembershipFactory(firm=other_firm, role="owner")
    MembershipFactory(firm=other_firm, user=owner.user, role="read_only")
    reset = StoredEmailFactory(firm=None, recipient=owner.user.email, subject="Reset")
    client = login(rival_owner)
    assert "Reset" not in client.get("/dev/mailbox/").content.decode()
    assert client.get(f"/dev/mailbox/{reset.pk}/").status_code == 404


def test_mailbox_message_links_are_clickable(owner_client, owner, firm):
    """Links in a stored message render as anchors a demo user can follow."""
    mail = StoredEmailFactory(
        actor=owner.user, firm=firm, body="Accept: http://testserver/invitations/abc/"
    )
    body = owner_client.get(f"/dev/mailbox/{mail.pk}/").content.decode()
    assert '<a href="http://testserver/invitations/abc/"' in body


def test_mailbox_is_empty_state_when_no_mail(owner_client):
    """With no mail the page explains what will appear."""
    assert "No e-mail yet" in owner_client.get("/dev/mailbox/").content.decode()


def test_mailbox_is_off_when_dev_mailbox_is_disabled(owner_client, firm, settings):
    """Without DEV_MAILBOX the pages answer 404."""
    settings.DEV_MAILBOX = False
    mail = StoredEmailFactory(firm=firm)
    assert owner_client.get("/dev/mailbox/").status_code == 404
    assert owner_client.get(f"/dev/mailbox/{mail.pk}/").status_code == 404


def test_mailbox_needs_login(client):
    """Anonymous visitors are sent to log in."""
    assert client.get("/dev/mailbox/").status_code == 302


@pytest.mark.parametrize("rows", [3, 6])
def test_mailbox_query_count_is_constant(
    rows, owner_client, owner, firm, django_assert_num_queries
):
    """Session, user with memberships and one page query."""
    for _ in range(rows):
        StoredEmailFactory(firm=firm, recipient=owner.user.email)
    with django_assert_num_queries(3):
        owner_client.get("/dev/mailbox/")


def test_django_send_mail_reaches_the_mailbox(db_mail, owner_client, owner):
    """Mail sent through Django's API to a member shows in the mailbox."""
    send_mail("Plain", "Text", "noreply@example.com", [owner.user.email])
    assert "Plain" in owner_client.get("/dev/mailbox/").content.decode()


def test_manager_cannot_read_invitations_someone_else_sent(manager, owner, firm, login):
    """An owner's invitation (perhaps for an Owner role) is hidden from managers."""
    invitation = StoredEmailFactory(
        firm=firm, actor=owner.user, recipient="partner@example.com", subject="Join"
    )
    client = login(manager)
    assert "Join" not in client.get("/dev/mailbox/").content.decode()
    assert client.get(f"/dev/mailbox/{invitation.pk}/").status_code == 404


def test_backend_reads_and_drops_the_internal_headers(firm, owner):
    """Firm and actor travel as headers that are stored, not sent on."""
    from django.core.mail import EmailMessage

    message = EmailMessage(
        "Hi",
        "Body",
        "a@example.com",
        ["x@example.com"],
        headers={
            "X-Casework-Firm": str(firm.pk),
            "X-Casework-Actor": str(owner.user.pk),
        },
    )
    DatabaseEmailBackend().send_messages([message])
    row = StoredEmail.objects.get()
    assert (row.firm, row.actor) == (firm, owner.user)
    assert "X-Casework-Actor" not in message.extra_headers


def test_deploy_check_refuses_the_dev_mailbox_in_production(settings):
    """check --deploy reports an error when DEV_MAILBOX is on without DEBUG."""
    from crm.core.checks import dev_mailbox_off_in_production

    settings.DEBUG = False
    settings.DEV_MAILBOX = True
    assert [m.id for m in dev_mailbox_off_in_production()] == ["casework.E001"]
    settings.DEV_MAILBOX = False
    assert dev_mailbox_off_in_production() == []


def test_plain_text_mail_is_not_html_escaped(db_mail, firm):
    """A firm called "Smith & Jones" reads so in the subject and the text body,
    not "Smith &amp; Jones" (the .txt templates are not HTML)."""
    firm.name = "Smith & Jones <Advice>"
    send_templated_mail(
        firm=firm,
        to="someone@example.com",
        template="firms/email/two_factor_reset",
        context={
            "member": {"first_name": "Al"},
            "owner": {"full_name": "Helen", "email": "h@x"},
            "path": "/mfa/",
        },
    )
    row = StoredEmail.objects.get()
    assert row.subject == "Your two-factor sign-in to Smith & Jones <Advice> was reset"
    assert "&amp;" not in row.body
    assert "Smith & Jones <Advice>" in row.body
