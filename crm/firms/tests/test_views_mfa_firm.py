"""A firm that requires two-factor sign-in, and the owner's reset (SPEC A9).

Issue 20, item 8: "a firm that requires it sends a member without one to
enrolment and nowhere else"; an owner resets a member's second factor.
"""

import pytest
from django.core.cache import cache
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from crm.core.choices import AuditVerb
from crm.core.models import AuditEvent, StoredEmail
from crm.core.tests.test_urls import ID_KWARG, _factory, _fill, all_routes
from crm.firms.tests.factories import MembershipFactory, two_factor_enrol

pytestmark = pytest.mark.django_db

SETUP = "/account/two-factor/set-up/"
ALLOWED = {"firms:two_factor_setup", "firms:two_factor_codes", "firms:logout"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def requiring_firm(firm):
    firm.require_two_factor = True
    firm.has_support = True
    firm.save(update_fields=["require_two_factor", "has_support"])
    return firm


def _staff_paths(firm) -> list[tuple[str, str]]:
    """Return (name, path) for every staff route, ids from the isolation factories."""
    paths = []
    for route, name, pattern in all_routes():
        policies = str(getattr(pattern.callback, "casework_policies", ""))
        if "staff:" not in policies or name in ALLOWED:
            continue
        kwargs = ID_KWARG.findall(route)
        factories = [_factory(name, k) for k in kwargs]
        if None in factories:
            continue
        values = {k: f(firm).pk for k, f in zip(kwargs, factories, strict=True)}
        paths.append((name, _fill(route, values)))
    return paths


def test_a_member_without_a_device_is_sent_to_set_up_from_every_page(
    requiring_firm, adviser, login
):
    """Issue 20 item 8: every staff route, GET and POST, redirects to set-up."""
    client = login(adviser)
    paths = _staff_paths(requiring_firm)
    assert len(paths) > 50
    offenders = []
    for name, path in paths:
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code != 302 or response["Location"] != SETUP:
                offenders.append(f"{method.__name__} {name} {path}")
    assert offenders == []
    assert TOTPDevice.objects.exists() is False


def test_set_up_and_log_out_stay_open(requiring_firm, adviser, login):
    """Issue 20 item 8: the set-up page opens and says why; logging out works."""
    client = login(adviser)
    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "requires two-factor sign-in" in body
    assert 'id="sidebar"' not in body  # no menus that lead nowhere
    assert client.post("/logout/")["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_htmx_and_api_requests_are_sent_to_set_up_too(requiring_firm, adviser, login):
    """Issue 20 item 8: htmx gets HX-Redirect; the API by session gets 403."""
    client = login(adviser)
    htmx = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == SETUP
    api = client.get("/api/v1/cases")
    assert api.status_code == 403
    assert api.json()["setup_url"] == SETUP


def test_api_tokens_are_unaffected(requiring_firm, owner, api):
    """Issue 20 item 8: an API token is not a member signing in."""
    assert api.get("/api/v1/cases").status_code == 200


def test_a_member_with_a_device_goes_anywhere(requiring_firm, adviser, login):
    """SPEC A9: once set up, the requirement is met."""
    two_factor_enrol(adviser.user)
    client = login(adviser)
    assert client.get("/cases/").status_code == 200


def test_after_set_up_the_member_gets_in(requiring_firm, adviser, login):
    """Issue 20 item 8: enrolment ends the redirects."""
    from django_otp.oath import totp

    client = login(adviser)
    client.get(SETUP)
    key = client.session["two_factor_setup_key"]
    client.post(SETUP, {"code": f"{totp(bytes.fromhex(key)):06d}"})
    assert client.get("/account/two-factor/recovery-codes/").status_code == 200
    assert client.get("/cases/").status_code == 200


def test_a_required_second_factor_cannot_be_turned_off(requiring_firm, adviser, login):
    """Issue 20 item 8: a member cannot turn it off while the firm requires it."""
    from crm.firms.tests.factories import totp_code

    device = two_factor_enrol(adviser.user)
    client = login(adviser)
    page = client.get("/account/two-factor/").content.decode()
    assert "Turn off two-factor sign-in" not in page
    response = client.post(
        "/account/two-factor/turn-off/", {"code": totp_code(device)}, follow=True
    )
    assert "Your firm requires two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=adviser.user).exists() is True


# The firm setting --------------------------------------------------------


def _firm_form(firm, **changes):
    data = {
        "name": firm.name,
        "brand_colour": firm.brand_colour,
        "case_reference_prefix": firm.case_reference_prefix,
        "default_follow_up_days": firm.default_follow_up_days,
        "remortgage_review_months": firm.remortgage_review_months,
        "has_advice": "on" if firm.has_advice else "",
        "has_support": "on" if firm.has_support else "",
    }
    return {k: v for k, v in {**data, **changes}.items() if v != ""}


def test_the_owner_requires_two_factor_for_the_firm(firm, owner, login):
    """Issue 20 item 8: the owner turns the requirement on; it is audited."""
    two_factor_enrol(owner.user)
    client = login(owner)
    assert (
        "Require two-factor sign-in" in client.get("/settings/firm/").content.decode()
    )
    response = client.post("/settings/firm/", _firm_form(firm, require_two_factor="on"))
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.require_two_factor is True
    event = AuditEvent.objects.get(
        firm=firm, verb=AuditVerb.UPDATE, object_type="firms.firm"
    )
    assert "require_two_factor" in event.changes


def test_a_manager_cannot_change_the_requirement(firm, manager, login):
    """Issue 20 item 8: owner only; a manager's form shows it disabled."""
    client = login(manager)
    page = client.get("/settings/firm/").content.decode()
    assert "Only the firm&#x27;s owner can change this." in page
    response = client.post("/settings/firm/", _firm_form(firm, require_two_factor="on"))
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.require_two_factor is False


# The owner's reset -------------------------------------------------------


def test_the_owner_resets_a_members_second_factor(
    firm, owner, adviser, login, db_mail, django_capture_on_commit_callbacks
):
    """Issue 20 item 8: reset removes the devices, is audited, e-mails the member."""
    two_factor_enrol(adviser.user)
    client = login(owner)
    page = client.get("/settings/members/").content.decode()
    assert f"/settings/members/{adviser.pk}/two-factor/reset/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/members/{adviser.pk}/two-factor/reset/")
    assert response["Location"] == "/settings/members/"
    assert TOTPDevice.objects.filter(user=adviser.user).exists() is False
    assert StaticDevice.objects.filter(user=adviser.user).exists() is False
    assert AuditEvent.objects.filter(
        firm=firm,
        verb=AuditVerb.TWO_FACTOR_RESET,
        actor=owner.user,
        object_id=str(adviser.user.pk),
    ).exists()
    mail = StoredEmail.objects.get(recipient=adviser.user.email)
    assert "two-factor sign-in" in mail.subject


def test_only_an_owner_may_reset(firm, manager, adviser, login):
    """Issue 20 item 8: a manager sees no reset button, and a POST is refused."""
    two_factor_enrol(adviser.user)
    client = login(manager)
    page = client.get("/settings/members/").content.decode()
    assert "two-factor/reset/" not in page
    response = client.post(
        f"/settings/members/{adviser.pk}/two-factor/reset/", follow=True
    )
    assert "Only the firm&#x27;s owner can reset" in response.content.decode()
    assert TOTPDevice.objects.filter(user=adviser.user).exists() is True


def test_another_firms_member_is_not_found(firm, other_firm, owner, login):
    """SPEC T4: another firm's membership id answers 404."""
    stranger = MembershipFactory(firm=other_firm)
    two_factor_enrol(stranger.user)
    client = login(owner)
    response = client.post(f"/settings/members/{stranger.pk}/two-factor/reset/")
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=stranger.user).exists() is True


def test_the_members_page_shows_who_has_two_factor(firm, owner, adviser, login):
    """SPEC A9: the members list says On / Off per member."""
    two_factor_enrol(adviser.user)
    body = login(owner).get("/settings/members/").content.decode()
    assert "Two-factor" in body
    assert '<span class="badge badge--green">On</span>' in body
    assert '<span class="badge">Off</span>' in body


@pytest.mark.parametrize("rows", [3, 6])
def test_member_list_with_two_factor_has_constant_queries(
    rows, owner_client, firm, django_assert_num_queries
):
    """Session, user with memberships, members (with two-factor), invitations: four."""
    for _ in range(rows):
        two_factor_enrol(MembershipFactory(firm=firm).user)
    with django_assert_num_queries(4):
        owner_client.get("/settings/members/")


@pytest.mark.parametrize(("required", "queries"), [(False, 2), (True, 3)])
def test_the_requirement_costs_one_query_and_only_where_set(
    required, queries, firm, adviser, login, django_assert_num_queries
):
    """Issue 20 item 8: session, user with memberships, the device check if required."""
    firm.require_two_factor = required
    firm.save(update_fields=["require_two_factor"])
    two_factor_enrol(adviser.user)
    client = login(adviser)
    with django_assert_num_queries(queries):
        client.get("/account/password/")
