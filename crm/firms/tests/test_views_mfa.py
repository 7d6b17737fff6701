"""Two-factor sign-in: the code step, lockout, set-up and recovery (SPEC A9).

Issue 20, item 8. The firm requirement and the owner's reset are in
``test_views_mfa_firm.py``.
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent
from crm.firms.tests.factories import (
    DEFAULT_PASSWORD,
    InvitationFactory,
    MembershipFactory,
    totp_code,
    two_factor_enrol,
)

pytestmark = pytest.mark.django_db

IP = "203.0.113.20"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _password(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post(
        "/login/", {"username": email, "password": password, **extra}, REMOTE_ADDR=IP
    )


def _code(client, code):
    return client.post("/login/code/", {"code": code}, REMOTE_ADDR=IP)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_password_alone_does_not_sign_in_a_member_with_a_device(client, adviser):
    """SPEC A9: the right password leads to the code step, not into the app."""
    two_factor_enrol(adviser.user)
    response = _password(client, adviser.user.email)
    assert response.status_code == 302
    assert response["Location"] == "/login/code/"
    assert _logged_in(client) is False
    assert client.get("/").status_code == 302  # still a stranger


def test_the_app_code_signs_in_and_goes_where_the_member_was_going(client, adviser):
    """SPEC A9: password, then the TOTP code, lands on the page asked for."""
    device = two_factor_enrol(adviser.user)
    client.post(
        "/login/?next=/cases/",
        {"username": adviser.user.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=IP,
    )
    page = client.get("/login/code/")
    assert "Enter your code" in page.content.decode()
    response = _code(client, totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert _logged_in(client) is True
    assert client.session["firm_id"] == adviser.firm_id
    assert AuditEvent.objects.filter(
        firm=adviser.firm, verb=AuditVerb.LOGIN, actor=adviser.user
    ).exists()


def test_a_member_without_a_device_signs_in_with_the_password(client, adviser):
    """SPEC A9: two-factor is per member; without it nothing changes."""
    response = _password(client, adviser.user.email)
    assert response["Location"] == "/"
    assert _logged_in(client) is True


def test_an_app_code_works_once(client, adviser):
    """SPEC A9: a code already used (replayed) is refused."""
    device = two_factor_enrol(adviser.user)
    code = totp_code(device)
    _password(client, adviser.user.email)
    _code(client, code)
    client.post("/logout/")
    _password(client, adviser.user.email)
    response = _code(client, code)
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert _logged_in(client) is False


def test_a_recovery_code_signs_in_once_and_is_audited(client, adviser):
    """SPEC A9: a recovery code (any case, with its dash) is used up."""
    two_factor_enrol(adviser.user, codes=("aaaaabbbbb", "cccccddddd"))
    _password(client, adviser.user.email)
    response = _code(client, " AAAAA-bbbbb ")
    assert response.status_code == 302
    assert _logged_in(client) is True
    assert list(
        StaticToken.objects.filter(device__user=adviser.user).values_list(
            "token", flat=True
        )
    ) == ["cccccddddd"]
    assert AuditEvent.objects.filter(
        firm=adviser.firm, verb=AuditVerb.RECOVERY_CODE_USED, actor=adviser.user
    ).exists()
    client.post("/logout/")
    _password(client, adviser.user.email)
    assert _code(client, "aaaaa-bbbbb").status_code == 200
    assert _logged_in(client) is False


def test_a_wrong_code_is_a_failed_sign_in(client, adviser):
    """SPEC A9, A3: a wrong code is refused, audited as a failed login."""
    two_factor_enrol(adviser.user)
    _password(client, adviser.user.email)
    response = _code(client, "000000")
    body = response.content.decode()
    assert response.status_code == 200
    assert "That code is not right" in body
    assert 'value="000000"' in body
    assert AuditEvent.objects.filter(
        firm=adviser.firm, verb=AuditVerb.LOGIN_FAILED
    ).exists()


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, adviser):
    """Issue 20 item 8: failed codes count towards the axes lockout."""
    device = two_factor_enrol(adviser.user)
    _password(client, adviser.user.email)
    responses = [_code(client, "000000") for _ in range(5)]
    assert responses[-1].status_code in (403, 429)
    assert "Too many failed attempts" in responses[-1].content.decode()
    response = _code(client, totp_code(device))
    assert response.status_code in (403, 429)
    assert _logged_in(client) is False
    # The password step is locked too, from this address.
    assert _password(client, adviser.user.email).status_code in (403, 429)


def test_wrong_codes_and_passwords_share_one_counter(client, adviser):
    """Issue 20 item 8: 3 wrong passwords and 2 wrong codes make a lockout."""
    two_factor_enrol(adviser.user)
    for _ in range(3):
        _password(client, adviser.user.email, "wrong-password")
    _password(client, adviser.user.email)
    _code(client, "000000")
    response = _code(client, "111111")
    assert response.status_code in (403, 429)


def test_the_code_step_times_out(client, adviser):
    """SPEC A9: a password given minutes ago is not enough to send a code."""
    device = two_factor_enrol(adviser.user)
    _password(client, adviser.user.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = _code(client, totp_code(device))
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert _logged_in(client) is False


def test_the_code_step_needs_a_password_first(client):
    """SPEC A9: opening the code step cold sends the visitor to log in."""
    response = client.get("/login/code/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.post("/login/code/", {"code": "123456"}).status_code == 302


def test_an_existing_account_with_a_device_accepts_an_invitation_with_a_code(
    client, firm
):
    """Issue 20 item 8: accepting an invitation never skips the second factor."""
    member = MembershipFactory()
    device = two_factor_enrol(member.user)
    InvitationFactory(firm=firm, email=member.user.email, token="tok-2fa-1")
    response = client.post(
        "/invitations/tok-2fa-1/",
        {
            "first_name": "x",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
        REMOTE_ADDR=IP,
    )
    assert response["Location"] == "/login/code/"
    assert _logged_in(client) is False
    _code(client, totp_code(device))
    assert _logged_in(client) is True
    assert client.session["firm_id"] == firm.pk


# Set-up, recovery codes, turning off ------------------------------------


def _setup_key(client) -> str:
    key: str = client.session["two_factor_setup_key"]
    return key


def _code_for_key(key: str) -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key)):06d}"


def test_set_up_shows_a_qr_code_and_the_key_and_keeps_it(adviser_client):
    """SPEC A9: set-up shows the QR code (inline SVG) and the key as text."""
    first = adviser_client.get("/account/two-factor/set-up/")
    body = first.content.decode()
    assert first.status_code == 200
    assert "<svg" in body
    assert "<script" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    key = _setup_key(adviser_client)
    again = adviser_client.get("/account/two-factor/set-up/")
    assert _setup_key(adviser_client) == key  # a reload keeps the same key
    assert again.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert TOTPDevice.objects.count() == 0  # nothing is stored until confirmed


def test_set_up_with_a_wrong_code_keeps_the_page_and_says_why(adviser_client, staff):
    """SPEC A9: the device is active only after a right code."""
    adviser_client.get("/account/two-factor/set-up/")
    response = adviser_client.post("/account/two-factor/set-up/", {"code": "12345x"})
    assert response.status_code == 200
    assert "That code does not match" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff.user).count() == 0


def test_set_up_turns_on_and_shows_ten_recovery_codes_once(adviser_client, staff):
    """SPEC A9: confirm with a code; ten codes shown once, downloadable, audited."""
    adviser_client.get("/account/two-factor/set-up/")
    key = _setup_key(adviser_client)
    response = adviser_client.post(
        "/account/two-factor/set-up/", {"code": _code_for_key(key)}
    )
    assert response["Location"] == "/account/two-factor/recovery-codes/"
    device = TOTPDevice.objects.get(user=staff.user)
    assert device.confirmed is True
    assert device.key == key
    page = adviser_client.get("/account/two-factor/recovery-codes/")
    codes = page.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert all(code in page.content.decode() for code in codes)
    download = adviser_client.get("/account/two-factor/recovery-codes/?download=1")
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert all(code in download.content.decode() for code in codes)
    assert AuditEvent.objects.filter(
        firm=staff.firm, verb=AuditVerb.TWO_FACTOR_ON, actor=staff.user
    ).exists()
    # Once the member moves on, the codes are not shown again.
    adviser_client.get("/account/two-factor/")
    again = adviser_client.get("/account/two-factor/recovery-codes/")
    assert again.status_code == 302
    assert StaticToken.objects.filter(device__user=staff.user).count() == 10


def test_the_account_page_says_whether_it_is_on(adviser_client, staff):
    """SPEC A9: the account page offers set-up when off, the options when on."""
    off = adviser_client.get("/account/two-factor/").content.decode()
    assert "Set up two-factor sign-in" in off
    two_factor_enrol(staff.user)
    on = adviser_client.get("/account/two-factor/").content.decode()
    assert "Make new recovery codes" in on
    assert "Turn off two-factor sign-in" in on
    assert "2</strong> unused recovery codes" in on


def test_new_recovery_codes_replace_the_old_ones(adviser_client, staff):
    """SPEC A9: regenerating needs a code, replaces every code, is audited."""
    device = two_factor_enrol(staff.user, codes=("aaaaabbbbb",))
    wrong = adviser_client.post(
        "/account/two-factor/recovery-codes/new/", {"code": "999999"}
    )
    assert wrong["Location"] == "/account/two-factor/"
    assert StaticToken.objects.get(device__user=staff.user).token == "aaaaabbbbb"
    response = adviser_client.post(
        "/account/two-factor/recovery-codes/new/", {"code": totp_code(device)}
    )
    assert response["Location"] == "/account/two-factor/recovery-codes/"
    tokens = set(
        StaticToken.objects.filter(device__user=staff.user).values_list(
            "token", flat=True
        )
    )
    assert len(tokens) == 10
    assert "aaaaabbbbb" not in tokens
    assert AuditEvent.objects.filter(verb=AuditVerb.RECOVERY_CODES_NEW).count() == 1


def test_a_member_turns_their_own_second_factor_off(adviser_client, staff):
    """SPEC A9: turning off needs a current code and is audited."""
    device = two_factor_enrol(staff.user)
    adviser_client.post("/account/two-factor/turn-off/", {"code": "000000"})
    assert TOTPDevice.objects.filter(user=staff.user).exists() is True
    adviser_client.post("/account/two-factor/turn-off/", {"code": totp_code(device)})
    assert TOTPDevice.objects.filter(user=staff.user).exists() is False
    assert StaticToken.objects.filter(device__user=staff.user).exists() is False
    assert AuditEvent.objects.filter(
        firm=staff.firm, verb=AuditVerb.TWO_FACTOR_OFF, actor=staff.user
    ).exists()


def test_junk_codes_on_the_account_forms_are_refused_politely(adviser_client, staff):
    """SPEC A9: empty or junk input is a message, never a 500."""
    two_factor_enrol(staff.user)
    for path in (
        "/account/two-factor/turn-off/",
        "/account/two-factor/recovery-codes/new/",
    ):
        for data in ({}, {"code": ""}, {"code": "x" * 500}, {"code": "\x00"}):
            AccessAttempt.objects.all().delete()  # each try on its own
            response = adviser_client.post(path, data, follow=True)
            assert response.status_code == 200
            assert "That code is not right" in response.content.decode()
    set_up = adviser_client.post("/account/two-factor/set-up/", {"code": "\x00"})
    assert set_up.status_code == 302  # already on: back to the account page


def test_guessing_codes_on_the_account_page_is_throttled(adviser_client, staff):
    """Issue 20 item 8: wrong codes to turn it off count like failed sign-ins."""
    device = two_factor_enrol(staff.user)
    for _ in range(5):
        adviser_client.post(
            "/account/two-factor/turn-off/", {"code": "000000"}, REMOTE_ADDR=IP
        )
    response = adviser_client.post(
        "/account/two-factor/turn-off/",
        {"code": totp_code(device)},
        REMOTE_ADDR=IP,
        follow=True,
    )
    assert "Too many wrong codes" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff.user).exists() is True
