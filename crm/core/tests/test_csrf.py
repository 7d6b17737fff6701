"""The page's CSRF token: masked as Django masks it, accepted by its middleware."""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.middleware import csrf as django_csrf
from django.test import RequestFactory

from crm.core import csrf

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def test_a_masked_token_unmasks_to_its_secret_with_djangos_code():
    secret = django_csrf._get_new_csrf_string()
    tokens = {csrf.masked(secret) for _ in range(50)}
    assert len(tokens) == 50  # a fresh mask each time
    for token in tokens:
        assert len(token) == django_csrf.CSRF_TOKEN_LENGTH
        assert django_csrf._unmask_cipher_token(token) == secret  # type: ignore[attr-defined]  # Django's own check


def test_the_mask_is_uniform_over_letters_and_digits():
    """Every letter and digit comes up, none far from its share (62 x 1/62)."""
    counts = Counter("".join(csrf.new_mask() for _ in range(1000)))
    assert set(counts) == set(django_csrf.CSRF_ALLOWED_CHARS)
    share = 32_000 / 62
    assert all(share * 0.7 < n < share * 1.3 for n in counts.values()), counts


def test_token_renews_the_cookie_as_get_token_does():
    request = RequestFactory().get("/")
    secret = django_csrf._get_new_csrf_string()
    request.META["CSRF_COOKIE"] = secret
    token = csrf.token(request)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert django_csrf._unmask_cipher_token(token) == secret  # type: ignore[attr-defined]  # Django's own check


def test_without_a_secret_djangos_get_token_makes_one():
    """A first visit: Django makes the secret (and so the cookie)."""
    request = RequestFactory().get("/")
    token = csrf.token(request)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert django_csrf._unmask_cipher_token(token) == request.META["CSRF_COOKIE"]  # type: ignore[attr-defined]  # Django's own check


def test_a_secret_of_another_length_goes_to_djangos_get_token(monkeypatch):
    """The middleware keeps 32-letter secrets; anything else is Django's to mask."""
    seen: list[int] = []

    def get_token(request: object) -> str:
        seen.append(1)
        return "t"

    monkeypatch.setattr(django_csrf, "get_token", get_token)
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "short"
    assert csrf.token(request) == "t"
    request.META["CSRF_COOKIE"] = "x" * 31 + "!"
    assert csrf.token(request) == "t"
    assert seen == [1, 1]


def test_the_processor_is_lazy_and_overrides_djangos():
    """Nothing is masked, and no renewal asked, until a page prints the token."""
    assert (
        settings.TEMPLATES[0]["OPTIONS"]["context_processors"].index(  # type: ignore[index]  # the settings' literal
            "crm.core.csrf.csrf"
        )
        >= 0
    )
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    value = csrf.csrf(request)["csrf_token"]
    assert "CSRF_COOKIE_NEEDS_UPDATE" not in request.META
    assert django_csrf._unmask_cipher_token(str(value)) == "a" * 32  # type: ignore[attr-defined]  # Django's own check
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.mark.django_db
def test_a_pages_token_passes_the_csrf_middleware(owner, login):
    """First visit: Django's path sets the cookie; then the page's own tokens post."""
    client = login(owner, enforce_csrf=True)
    first = client.get("/clients/")
    assert first.status_code == 200
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    page = client.get("/clients/")
    [token, *_] = TOKEN.findall(page.content.decode())
    assert django_csrf._unmask_cipher_token(token) == secret  # type: ignore[attr-defined]  # Django's own check
    assert page.context["csrf_token"] == token
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert client.post("/logout/", {"csrfmiddlewaretoken": forged}).status_code == 403
    response = client.post("/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
