"""Login, lockout, logout, password reset and firm switching (A3)."""

import re

import pytest
from django.test import Client

from crm.core.models import AuditEvent, StoredEmail
from crm.firms.choices import Role
from crm.firms.tests.factories import DEFAULT_PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post("/login/", {"username": email, "password": password, **extra})


def test_login_page_renders_with_labels(client):
    """The login form has labelled e-mail and password fields."""
    body = client.get("/login/").content.decode()
    assert '<label for="id_username">E-mail address' in body
    assert '<label for="id_password">' in body
    assert 'lang="en-GB"' in body


def test_login_lands_on_dashboard_and_is_audited(client, owner):
    """Correct credentials log in, open the dashboard and write a login event."""
    response = _login(client, owner.user.email)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert AuditEvent.objects.filter(verb="login", actor=owner.user).count() == 1
    assert client.get("/").status_code == 200


def test_login_is_case_insensitive_on_email(client, owner):
    """E-mail addresses are matched whatever their case."""
    response = _login(client, owner.user.email.upper())
    assert response.status_code == 302


def test_login_follows_safe_next_only(client, owner):
    """A local next URL is followed; an external one is ignored."""
    assert (
        _login(client, owner.user.email, next="/settings/members/")["Location"]
        == "/settings/members/"
    )
    client.logout()
    assert (
        _login(client, owner.user.email, next="https://evil.example/")["Location"]
        == "/"
    )


def test_wrong_password_shows_message_and_keeps_email(client, owner):
    """A failed login explains and keeps the typed e-mail."""
    response = _login(client, owner.user.email, "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "do not match an account" in body
    assert owner.user.email in body


def test_lockout_after_five_failures(client, owner):
    """The sixth attempt is refused even with the right password."""
    for _ in range(5):
        _login(client, owner.user.email, "wrong-password")
    response = _login(client, owner.user.email)
    assert response.status_code in (403, 429)
    assert "Too many failed attempts" in response.content.decode()


def test_login_requires_csrf_token(owner):
    """POSTs without a CSRF token are refused."""
    csrf_client = Client(enforce_csrf_checks=True)
    response = _login(csrf_client, owner.user.email)
    assert response.status_code == 403


def test_logout_is_post_only_and_audited(owner_client, owner):
    """Logging out needs a POST and writes a logout event."""
    assert owner_client.get("/logout/").status_code == 405
    response = owner_client.post("/logout/")
    assert response["Location"] == "/login/"
    assert AuditEvent.objects.filter(verb="logout").count() == 1
    assert owner_client.get("/").status_code == 302


def test_password_reset_by_email(db_mail, client, owner):
    """The reset e-mail carries a link that sets a new password."""
    response = client.post("/password-reset/", {"email": owner.user.email})
    assert response["Location"] == "/password-reset/sent/"
    mail = StoredEmail.objects.get(recipient=owner.user.email)
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.body)
    assert link is not None
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url,
        {
            "new_password1": "fresh-passphrase-42",
            "new_password2": "fresh-passphrase-42",
        },
    )
    assert done["Location"] == "/password-reset/done/"
    owner.user.refresh_from_db()
    assert owner.user.check_password("fresh-passphrase-42") is True
    assert AuditEvent.objects.filter(verb="password_reset").count() == 1


def test_password_reset_for_unknown_email_reveals_nothing(db_mail, client):
    """An unknown address gets the same page and no mail."""
    response = client.post("/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/password-reset/sent/"
    assert StoredEmail.objects.count() == 0


def test_bad_reset_link_shows_clear_page(client):
    """A tampered reset link explains itself instead of failing."""
    response = client.get("/password-reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_firm_switch_changes_current_firm(owner, other_firm, login):
    """A member of two firms switches between them."""
    MembershipFactory(firm=other_firm, user=owner.user, role=Role.READ_ONLY)
    client = login(owner)
    assert "Switch firm" in client.get("/").content.decode()
    response = client.post("/firms/switch/", {"firm_id": other_firm.pk})
    assert response["Location"] == "/"
    body = client.get("/").content.decode()
    assert "Rival Advice Ltd" in body
    assert "You are now working in Rival Advice Ltd." in body


def test_firm_switch_to_a_foreign_firm_is_refused(owner_client, firm, other_firm):
    """Switching to a firm one is not in keeps the current firm."""
    owner_client.post("/firms/switch/", {"firm_id": other_firm.pk})
    body = owner_client.get("/").content.decode()
    assert "You are not a member of that firm." in body
    assert firm.name in body


def test_login_lands_in_the_most_senior_firm(client, owner, other_firm):
    """A user in several firms starts where they hold the senior role."""
    MembershipFactory(firm=other_firm, user=owner.user, role=Role.READ_ONLY)
    _login(client, owner.user.email)
    assert client.get("/").context["request"].firm == owner.firm


def test_password_change_page(owner_client):
    """Members can change their password."""
    response = owner_client.post(
        "/account/password/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another-passphrase-9",
            "new_password2": "another-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert (
        AuditEvent.objects.filter(object_type="firms.user", verb="update").count() == 1
    )
    wrong = owner_client.post(
        "/account/password/",
        {
            "old_password": "not-it",
            "new_password1": "x-passphrase-10",
            "new_password2": "x-passphrase-10",
        },
    )
    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
