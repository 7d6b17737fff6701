"""Two-factor sign-in: set up, check, turn off and reset (SPEC A9, issue 20).

A member's second factor is a TOTP device (an authenticator app) plus a
static device holding ten single-use recovery codes (django-otp). Both belong
to the user; the audit rows go to the firm the member acted in.
"""

import secrets
import time
from typing import Literal

from django.db import transaction
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.mail import send_templated_mail
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership, User
from crm.firms.selectors.mfa import (
    DEVICE_NAME,
    two_factor_enabled,
    two_factor_required_for,
)

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper is read back without doubt.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
WRONG_CODE = (
    "That code is not right. Enter the 6-digit code your authenticator app "
    "shows now, or one of your unused recovery codes."
)

Verified = Literal["app", "recovery"]


def normalise_code(value: object) -> str:
    """Return a typed code without spaces or dashes, lower-cased."""
    return "".join(str(value or "").split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    """Return a stored recovery code as it is shown: ``abcde-fghjk``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def new_secret() -> str:
    """Return a new TOTP key (20 random bytes, hex), not yet anybody's."""
    return str(random_hex(20))


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [format_recovery_code(c) for c in codes]


def _check(*, user: User, code: str) -> Verified | None:
    code = normalise_code(code)
    if len(code) == 6 and code.isdigit():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-id")
            .first()
        )
        # verify_token refuses a code at or before the last one used (replay).
        return "app" if device is not None and device.verify_token(code) else None
    if len(code) != RECOVERY_CODE_LENGTH or not set(code) <= set(RECOVERY_ALPHABET):
        # Not a recovery code's shape: nothing to look up (and a NUL byte,
        # which PostgreSQL refuses in a query, never reaches the database).
        return None
    # One DELETE: of two requests racing with one code, only one removes it.
    deleted, _rows = StaticToken.objects.filter(device__user=user, token=code).delete()
    return "recovery" if deleted else None


@transaction.atomic
def two_factor_verify(*, user: User, firm: Firm | None, code: str) -> Verified | None:
    """Check a sign-in code; return how it was proved, or None if wrong.

    A recovery code is used up, and its use is audited in ``firm``.
    """
    verified = _check(user=user, code=code)
    if verified == "recovery" and firm is not None:
        events.record(
            firm=firm, actor=user, verb=AuditVerb.RECOVERY_CODE_USED, subject=user
        )
    return verified


@transaction.atomic
def two_factor_enable(*, firm: Firm, actor: User, key: str, code: str) -> list[str]:
    """Turn on two-factor sign-in with ``key`` once ``code`` proves it works.

    Return the ten new recovery codes (shown once, stored only as used-up
    tokens are: the member keeps them).
    """
    if two_factor_enabled(user=actor):
        raise ApplicationError("Two-factor sign-in is already on.", "already_on")
    try:
        bin_key = bytes.fromhex(key)
    except ValueError as exc:
        raise ApplicationError("Start the set-up again.", "bad_key") from exc
    totp = TOTP(bin_key)
    totp.time = time.time()
    typed = normalise_code(code)
    if not (len(typed) == 6 and typed.isdigit() and totp.verify(int(typed), 1)):
        raise ApplicationError(
            "That code does not match. Check the app shows Casework and "
            "enter the 6 digits it shows now.",
            "invalid_code",
            {"field": "code"},
        )
    TOTPDevice.objects.filter(user=actor).delete()
    device = TOTPDevice(
        user=actor, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t()
    )
    device.full_clean()
    device.save()
    codes = _new_recovery_codes(actor)
    events.record(firm=firm, actor=actor, verb=AuditVerb.TWO_FACTOR_ON, subject=actor)
    return codes


def _require_code(user: User, code: str) -> None:
    if _check(user=user, code=code) is None:
        raise ApplicationError(WRONG_CODE, "invalid_code", {"field": "code"})


@transaction.atomic
def recovery_codes_regenerate(*, firm: Firm, actor: User, code: str) -> list[str]:
    """Replace the member's recovery codes after a current code; return them."""
    if not two_factor_enabled(user=actor):
        raise ApplicationError("Two-factor sign-in is off.", "off")
    _require_code(actor, code)
    codes = _new_recovery_codes(actor)
    events.record(
        firm=firm, actor=actor, verb=AuditVerb.RECOVERY_CODES_NEW, subject=actor
    )
    return codes


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(*, firm: Firm, actor: User, code: str) -> None:
    """Turn off the member's own second factor, unless a firm requires it."""
    if not two_factor_enabled(user=actor):
        raise ApplicationError("Two-factor sign-in is already off.", "off")
    if two_factor_required_for(user=actor):
        raise ApplicationError(
            "Your firm requires two-factor sign-in, so it cannot be turned off.",
            "required",
        )
    _require_code(actor, code)
    _remove_devices(actor)
    events.record(firm=firm, actor=actor, verb=AuditVerb.TWO_FACTOR_OFF, subject=actor)


@transaction.atomic
def two_factor_reset(
    *, firm: Firm, actor: User, actor_membership: Membership, membership: Membership
) -> None:
    """Remove a member's second factor (lost phone); the owner's call, audited.

    The member is told by e-mail, so a reset they did not ask for is noticed.
    """
    if actor_membership.role != Role.OWNER or actor_membership.firm_id != firm.pk:
        raise ApplicationError(
            "Only the firm's owner can reset two-factor sign-in.", "forbidden"
        )
    if membership.firm_id != firm.pk:
        raise ApplicationError("That member is not in this firm.", "not_found")
    user = membership.user
    if not two_factor_enabled(user=user):
        raise ApplicationError(f"{user} has not set up two-factor sign-in.", "off")
    _remove_devices(user)
    events.record(
        firm=firm,
        actor=actor,
        verb=AuditVerb.TWO_FACTOR_RESET,
        subject=user,
    )
    link = reverse("firms:two_factor_detail")
    transaction.on_commit(
        lambda: send_templated_mail(
            firm=firm,
            to=user.email,
            template="firms/email/two_factor_reset",
            context={"member": user, "owner": actor, "path": link},
            actor=actor,
        )
    )
