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


def test_mailbox_lists_firm_mail_and_mail_to_members(
    owner_client, firm, other_firm, owner
):
    """The mailbox shows this firm's mail and untagged mail to its members only."""
    StoredEmailFactory(firm=firm, subject="Firm mail")
    StoredEmailFactory(firm=None, recipient=owner.user.email, subject="Reset for owner")
    StoredEmailFactory(firm=other_firm, subject="Rival mail")
    StoredEmailFactory(firm=None, recipient="stranger@example.com", subject="Stranger")
    body = owner_client.get("/dev/mailbox/").content.decode()
    assert "Firm mail" in body
    assert "Reset for owner" in body
    assert "Rival mail" not in body
    assert "Stranger" not in body


def test_mailbox_message_links_are_clickable(owner_client, firm):
    """Links in a stored message render as anchors a demo user can follow."""
    mail = StoredEmailFactory(
        firm=firm, body="Accept: http://testserver/invitations/abc/"
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
    rows, owner_client, firm, django_assert_num_queries
):
    """Session, user, membership and one page query."""
    for _ in range(rows):
        StoredEmailFactory(firm=firm)
    with django_assert_num_queries(4):
        owner_client.get("/dev/mailbox/")


def test_django_send_mail_reaches_the_mailbox(db_mail, owner_client, owner):
    """Mail sent through Django's API to a member shows in the mailbox."""
    send_mail("Plain", "Text", "noreply@example.com", [owner.user.email])
    assert "Plain" in owner_client.get("/dev/mailbox/").content.decode()


def test_read_only_member_sees_only_their_own_mail(read_only, owner, firm, login):
    """A member cannot read other members' mail (a reset link would be a takeover)."""
    StoredEmailFactory(firm=None, recipient=owner.user.email, subject="Owner reset")
    StoredEmailFactory(firm=firm, subject="Invitation for someone")
    mine = StoredEmailFactory(firm=None, recipient=read_only.user.email, subject="Mine")
    other = StoredEmailFactory(firm=None, recipient=owner.user.email, subject="Other")
    client = login(read_only)
    body = client.get("/dev/mailbox/").content.decode()
    assert "Mine" in body
    assert "Owner reset" not in body
    assert "Invitation for someone" not in body
    assert client.get(f"/dev/mailbox/{mine.pk}/").status_code == 200
    assert client.get(f"/dev/mailbox/{other.pk}/").status_code == 404


def test_manager_sees_firm_mail_but_not_others_resets(manager, owner, firm, login):
    """Managers read the firm's invitations but not an owner's reset mail."""
    StoredEmailFactory(firm=None, recipient=owner.user.email, subject="Owner reset")
    StoredEmailFactory(firm=firm, subject="Invitation for someone")
    body = login(manager).get("/dev/mailbox/").content.decode()
    assert "Invitation for someone" in body
    assert "Owner reset" not in body
