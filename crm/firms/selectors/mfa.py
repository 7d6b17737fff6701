"""Reads behind two-factor sign-in: a member's devices and codes (SPEC A9).

Devices belong to the user, not to a firm: one person signs in once, with one
authenticator, whichever of their firms they then work in. A firm only says
whether its members must have one (``Firm.require_two_factor``).
"""

import base64
import binascii

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.firms.models import Firm, Membership, User
from crm.firms.selectors.members import membership_list, membership_list_for_user

# The name of the device a member sets up, shown in the admin.
DEVICE_NAME = "Authenticator app"


def two_factor_device(*, user: User) -> TOTPDevice | None:
    """Return the user's confirmed authenticator device, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def two_factor_enabled(*, user: User) -> bool:
    """Return True if the user signs in with a second factor."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def two_factor_required_for(*, user: User) -> bool:
    """Return True if any firm the user is an active member of requires it."""
    return any(m.firm.require_two_factor for m in membership_list_for_user(user=user))


def recovery_codes_left(*, user: User) -> int:
    """Return how many unused recovery codes the user has."""
    return int(StaticToken.objects.filter(device__user=user).count())


def membership_list_with_two_factor(*, firm: Firm) -> QuerySet[Membership]:
    """Return the firm's members, each annotated ``has_two_factor``."""
    return membership_list(firm=firm).annotate(
        has_two_factor=Exists(
            TOTPDevice.objects.filter(user=OuterRef("user_id"), confirmed=True)
        )
    )


def setup_device(*, user: User, key: str) -> TOTPDevice:
    """Return an unsaved device with ``key``, for the QR code and the check."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


def secret_for_display(*, key: str) -> str:
    """Return the hex ``key`` as base32 in groups of four, for typing it in."""
    try:
        raw = binascii.unhexlify(key)
    except (binascii.Error, ValueError):
        return ""
    text = base64.b32encode(raw).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
