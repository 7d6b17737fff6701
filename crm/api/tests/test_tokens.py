"""API tokens: made and revoked on the Settings page, stored hashed, principals."""

import pytest
from django.core.cache import cache

from crm.api import services
from crm.api.choices import TokenScope
from crm.api.models import ApiToken
from crm.api.selectors import key_hash
from crm.api.tests.factories import ApiTokenFactory, api_client, make_token
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core.exceptions import ApplicationError
from crm.core.models import AuditEvent
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_hashed_and_its_key_shown_once(owner_client, owner, firm):
    """The page shows the new key once; the database keeps only its hash."""
    response = owner_client.post(
        "/settings/api-tokens/",
        {"name": "Website", "membership": owner.pk, "scope": TokenScope.READ},
    )
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("cw_")
    assert key.encode() in response.content
    token = ApiToken.objects.get(firm=firm)
    assert token.key_hash == key_hash(key)
    assert key not in str(AuditEvent.objects.filter(firm=firm).values_list("changes"))
    again = owner_client.get("/settings/api-tokens/")
    assert key.encode() not in again.content
    assert b"Website" in again.content


def test_the_page_has_an_empty_state_and_keeps_bad_input(owner_client, owner):
    """No tokens yet says so; a missing name is shown on the form, not a 500."""
    page = owner_client.get("/settings/api-tokens/")
    assert b"No API tokens yet" in page.content
    response = owner_client.post(
        "/settings/api-tokens/", {"name": "", "membership": owner.pk, "scope": "read"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_only_firm_managers_open_the_page(adviser_client):
    """An adviser (no Manage firm) is refused."""
    assert adviser_client.get("/settings/api-tokens/").status_code == 403


def test_a_token_cannot_lift_a_members_rights(firm, manager):
    """A manager may not make a token acting as the owner (more permissions)."""
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    with pytest.raises(ApplicationError, match="permissions you do not"):
        services.token_create(
            firm=firm,
            actor=manager.user,
            actor_membership=manager,
            name="Escalate",
            membership=owner,
            scope=TokenScope.READ_WRITE,
        )


def test_a_revoked_token_is_refused_at_once(owner_client, owner, firm):
    """Revoking on the page makes the next request with the key a 401."""
    token, key = make_token(owner)
    client = api_client(key)
    assert client.get("/api/v1/contacts").status_code == 200
    owner_client.post(f"/settings/api-tokens/{token.pk}/revoke/")
    response = client.get("/api/v1/contacts")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_members_token_stops_working(owner):
    """A token is its member's: deactivate the member and the token is refused."""
    _token, key = make_token(owner)
    owner.is_active = False
    owner.save()
    assert api_client(key).get("/api/v1/contacts").status_code == 401


def test_a_bad_key_is_refused_even_with_a_session(owner_client):
    """An explicit bearer key that does not resolve never falls back to the session."""
    response = owner_client.get(
        "/api/v1/contacts", HTTP_AUTHORIZATION="Bearer cw_nonsense"
    )
    assert response.status_code == 401


def test_a_read_only_token_reads_but_cannot_write(owner, firm):
    """Scope read: lists work, writes are 403 with code forbidden."""
    _token, key = make_token(owner, scope=TokenScope.READ)
    client = api_client(key)
    assert client.get("/api/v1/contacts").status_code == 200
    response = client.post(
        "/api/v1/contacts", {"first_name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_a_token_sees_only_its_members_own_cases(firm, adviser):
    """'View own cases only' follows the token: another adviser's case is 404."""
    adviser.role = Role.ADVISER
    adviser.revoked = ["view_all_cases"]
    adviser.granted = ["view_own_cases"]
    adviser.save()
    mine = make_case(firm, owner=adviser.user)
    theirs = make_case(firm, owner=MembershipFactory(firm=firm).user)
    _token, key = make_token(adviser, scope=TokenScope.READ)
    client = api_client(key)
    ids = [c["id"] for c in client.get("/api/v1/cases").json()["items"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/v1/cases/{theirs.pk}").status_code == 404


def test_the_session_works_for_members_and_checks_csrf(owner, login):
    """A logged-in member may call the API; a write needs the CSRF token."""
    client = login(owner, enforce_csrf=True)
    assert client.get("/api/v1/contacts").status_code == 200
    response = client.post(
        "/api/v1/contacts", {"first_name": "A"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_the_rate_limit_answers_429_with_retry_after(api, settings):
    """Past the limit a token gets 429 and how long to wait."""
    cache.clear()
    settings.API_RATE_LIMIT = 2
    assert api.get("/api/v1/contacts").status_code == 200
    assert api.get("/api/v1/contacts").status_code == 200
    response = api.get("/api/v1/contacts")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_token_list_page_queries_are_constant(
    owner_client, owner, firm, django_assert_num_queries
):
    """Three tokens or more, the page costs the same queries."""
    for _ in range(3):
        ApiTokenFactory(membership=MembershipFactory(firm=firm))
    owner_client.get("/settings/api-tokens/")
    with django_assert_num_queries(4):
        owner_client.get("/settings/api-tokens/")
    ApiTokenFactory(membership=MembershipFactory(firm=firm))
    with django_assert_num_queries(4):
        owner_client.get("/settings/api-tokens/")


def test_contacts_of_another_firm_never_show(api, other_firm):
    """The token's firm scopes every list."""
    ContactFactory(firm=other_firm)
    assert api.get("/api/v1/contacts").json()["items"] == []
