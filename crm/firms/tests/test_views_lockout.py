"""Sign-in throttling that holds against variants and proxies (A3, issue 20)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from crm.core.models import AuditEvent, StoredEmail
from crm.firms.models import Membership
from crm.firms.tests.factories import (
    DEFAULT_PASSWORD,
    InvitationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _login(client, email, password=DEFAULT_PASSWORD, ip="203.0.113.9", **meta):
    return client.post(
        "/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
        **meta,
    )


def _variants(email: str, n: int) -> list[str]:
    """Return ``n`` spellings of ``email`` that differ in letter case or spaces."""
    out = []
    for i in range(n):
        chars = [c.upper() if (i >> (k % 8)) & 1 else c for k, c in enumerate(email)]
        out.append(("  " * (i % 2)) + "".join(chars))
    return out


def test_case_variants_of_one_address_share_one_counter(client, owner):
    """Wrong passwords over case variants lock the account for that address."""
    for spelling in _variants(owner.user.email, 15)[:5]:
        _login(client, spelling, WRONG)
    response = _login(client, owner.user.email)
    assert response.status_code in (403, 429)
    assert "Too many failed attempts" in response.content.decode()


def test_wrong_passwords_on_an_invitation_count_like_sign_ins(client, firm):
    """Guessing an account's password on its invitation page locks it too."""
    user = UserFactory(email="known@example.com")
    InvitationFactory(firm=firm, email=user.email, token="tok-known-1")
    path = "/invitations/tok-known-1/"
    for _ in range(4):
        page = client.post(path, {"password1": WRONG}, REMOTE_ADDR="203.0.113.9")
        assert page.status_code == 200
        assert "not the password" in page.content.decode()
    fifth = client.post(path, {"password1": WRONG}, REMOTE_ADDR="203.0.113.9")
    assert fifth.status_code == 429
    response = client.post(
        path, {"password1": DEFAULT_PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code in (403, 429)
    assert Membership.objects.filter(firm=firm, user=user).exists() is False
    assert _login(client, user.email, ip="203.0.113.9").status_code in (403, 429)


def test_behind_a_proxy_one_clients_failures_do_not_lock_another(
    client, owner, settings
):
    """The real client address comes from X-Forwarded-For past the trusted proxy."""
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(6):
        _login(
            client,
            owner.user.email,
            WRONG,
            ip=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    attacker = _login(
        client, owner.user.email, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert attacker.status_code in (403, 429)
    member = _login(
        client,
        owner.user.email,
        ip=proxy,
        # A client-sent entry on the left is not trusted.
        HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.44",
    )
    assert member.status_code == 302
    login = AuditEvent.objects.get(verb="login", actor=owner.user)
    assert login.ip_address == "192.0.2.44"


def test_an_account_guessed_from_many_addresses_is_slowed_not_locked(
    client, owner, settings
):
    """Past the slowdown threshold each try waits; the member then gets in."""
    settings.LOGIN_SLOWDOWN_AFTER = 4
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(4):
            _login(client, owner.user.email, WRONG, ip=f"198.51.100.{n + 1}")
        slowed = _login(client, owner.user.email, ip="192.0.2.10")
    body = slowed.content.decode()
    assert slowed.status_code == 200
    assert "too many failed sign-ins to this account. Wait 1 second " in body
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        one_more = _login(client, owner.user.email, WRONG, ip="198.51.100.9")
        assert "do not match an account" in one_more.content.decode()
        slowed = _login(client, owner.user.email, ip="192.0.2.10")
        assert "Wait 2 seconds" in slowed.content.decode()
    with time_machine.travel(start + timedelta(seconds=4)):
        assert _login(client, owner.user.email, ip="192.0.2.10").status_code == 302


def test_password_reset_mails_are_limited_per_address(db_mail, client, owner, settings):
    """A fourth reset request for one address in an hour sends nothing more."""
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    for spelling in _variants(owner.user.email, 4):
        response = client.post("/password-reset/", {"email": spelling.strip()})
        assert response["Location"] == "/password-reset/sent/"
    assert StoredEmail.objects.filter(recipient=owner.user.email).count() == 3


def test_password_reset_mails_are_limited_per_client_address(db_mail, client, settings):
    """One client asking for many addresses is capped too, without telling it."""
    settings.PASSWORD_RESET_PER_IP = 2
    users = [UserFactory() for _ in range(3)]
    for user in users:
        response = client.post(
            "/password-reset/", {"email": user.email}, REMOTE_ADDR="198.51.100.8"
        )
        assert response["Location"] == "/password-reset/sent/"
    assert StoredEmail.objects.count() == 2
