"""Two-factor services and selectors (SPEC A9, issue 20 item 8)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.core.exceptions import ApplicationError
from crm.firms import services
from crm.firms.selectors import mfa as selectors
from crm.firms.services.mfa import format_recovery_code, new_secret, normalise_code
from crm.firms.tests.factories import MembershipFactory, totp_code, two_factor_enrol

pytestmark = pytest.mark.django_db


def test_codes_are_read_as_typed_by_people():
    """Spaces, dashes and capitals do not matter in a typed code."""
    assert normalise_code(" ABCDE-fghjk ") == "abcdefghjk"
    assert normalise_code("123 456") == "123456"
    assert normalise_code(None) == ""
    assert format_recovery_code("abcdefghjk") == "abcde-fghjk"


def test_the_key_is_shown_in_base32_groups():
    """The key to type by hand is base32 in groups of four; junk gives nothing."""
    key = "00" * 20
    assert selectors.secret_for_display(key=key) == " ".join(["AAAA"] * 8)
    assert selectors.secret_for_display(key="zz") == ""


def test_enable_needs_the_right_code_and_only_once(adviser):
    """A wrong code stores nothing; a second set-up is refused."""
    key = new_secret()
    with pytest.raises(ApplicationError, match="does not match"):
        services.two_factor_enable(
            firm=adviser.firm, actor=adviser.user, key=key, code="123"
        )
    assert TOTPDevice.objects.exists() is False
    codes = services.two_factor_enable(
        firm=adviser.firm,
        actor=adviser.user,
        key=key,
        code=f"{totp(bytes.fromhex(key)):06d}",
    )
    assert len(codes) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    with pytest.raises(ApplicationError, match="already on"):
        services.two_factor_enable(
            firm=adviser.firm, actor=adviser.user, key=key, code="000000"
        )


def test_verify_refuses_junk_without_touching_codes(adviser):
    """Codes of the wrong shape are refused and use nothing up."""
    two_factor_enrol(adviser.user)
    for junk in ("", "1", "12345", "1234567", "x" * 64, "\x00" * 10):
        assert (
            services.two_factor_verify(user=adviser.user, firm=None, code=junk) is None
        )
    assert selectors.recovery_codes_left(user=adviser.user) == 2


def test_a_recovery_code_is_used_up_by_one_delete(adviser):
    """Of two uses of one recovery code, only the first succeeds."""
    two_factor_enrol(adviser.user, codes=("aaaaabbbbb",))
    first = services.two_factor_verify(
        user=adviser.user, firm=adviser.firm, code="aaaaa-bbbbb"
    )
    second = services.two_factor_verify(
        user=adviser.user, firm=adviser.firm, code="aaaaa-bbbbb"
    )
    assert (first, second) == ("recovery", None)


def test_reset_is_for_owners_of_the_firm(firm, owner, manager, adviser, other_firm):
    """A manager, or an owner of another firm, cannot reset a member."""
    two_factor_enrol(adviser.user)
    with pytest.raises(ApplicationError, match="Only the firm's owner"):
        services.two_factor_reset(
            firm=firm, actor=manager.user, actor_membership=manager, membership=adviser
        )
    other_owner = MembershipFactory(firm=other_firm, role="owner")
    with pytest.raises(ApplicationError, match="Only the firm's owner"):
        services.two_factor_reset(
            firm=firm,
            actor=other_owner.user,
            actor_membership=other_owner,
            membership=adviser,
        )
    assert selectors.two_factor_enabled(user=adviser.user) is True


def test_reset_of_a_member_without_it_says_so(firm, owner, adviser):
    """Resetting a member who has no second factor is a clear error."""
    with pytest.raises(ApplicationError, match="has not set up"):
        services.two_factor_reset(
            firm=firm, actor=owner.user, actor_membership=owner, membership=adviser
        )


def test_required_anywhere_means_it_stays_on(firm, other_firm, adviser):
    """A member of two firms keeps it while either firm requires it."""
    device = two_factor_enrol(adviser.user)
    MembershipFactory(firm=other_firm, user=adviser.user)
    other_firm.require_two_factor = True
    other_firm.save(update_fields=["require_two_factor"])
    assert selectors.two_factor_required_for(user=adviser.user) is True
    with pytest.raises(ApplicationError, match="requires two-factor"):
        services.two_factor_disable(
            firm=firm, actor=adviser.user, code=totp_code(device)
        )
