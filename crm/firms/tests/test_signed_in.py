"""The signed-in user read by hand gives what Django's ``auth.get_user`` gives (A1)."""

import pytest
from django.contrib import auth
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory, override_settings

from crm.firms.signed_in import MODEL_BACKEND, session_user

pytestmark = pytest.mark.django_db


def _session(user, **changes):
    """Return the key of a stored session signed in as ``user``, with ``changes``."""
    store = SessionStore()
    store[auth.SESSION_KEY] = str(user.pk)
    store[auth.BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    for name, value in changes.items():
        if value is None:
            del store[name]
        else:
            store[name] = value
    store.create()
    return store


def _request(data):
    """Return a request whose session holds a stored copy of ``data``."""
    store = SessionStore()
    for name, value in data.items():
        store[name] = value
    store.create()
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key=store.session_key)
    return request


def _both(data):
    """Return (ours, Django's): user pk or None, and what each session kept."""
    answers = []
    for read in (session_user, auth.get_user):
        request = _request(data)
        key = request.session.session_key
        user = read(request)
        kept = dict(request.session.items())
        answers.append(
            (user.pk, kept, request.session.session_key == key, user.is_authenticated)
        )
    return answers


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {auth.HASH_SESSION_KEY: "not-the-hash"},
        {auth.HASH_SESSION_KEY: None},
        {auth.SESSION_KEY: "987654"},
        {auth.SESSION_KEY: None},
        {auth.BACKEND_SESSION_KEY: "some.removed.Backend"},
    ],
    ids=["valid", "wrong-hash", "no-hash", "deleted-user", "no-user", "gone"],
)
def test_session_user_answers_as_django_does(owner, changes):
    data = dict(_session(owner.user, **changes).items())
    ours, django = _both(data)
    assert ours == django


def test_an_inactive_user_is_anonymous_as_in_django(owner):
    data = dict(_session(owner.user).items())
    owner.user.is_active = False
    owner.user.save()
    ours, django = _both(data)
    assert ours == django
    assert ours[0] is None


def test_a_hash_of_a_fallback_secret_rotates_the_session_as_in_django(owner, settings):
    with override_settings(SECRET_KEY="an-older-secret-" * 4):
        data = dict(_session(owner.user).items())
    settings.SECRET_KEY_FALLBACKS = ["an-older-secret-" * 4]
    ours, django = _both(data)
    assert ours == django
    # signed in, the session's key changed, its hash is the current secret's
    assert ours[0] == owner.user.pk
    assert ours[2] is False
    assert ours[1][auth.HASH_SESSION_KEY] == owner.user.get_session_auth_hash()


def test_a_signed_in_request_reads_its_user_in_one_statement(
    owner, client, django_assert_num_queries
):
    """The session's user is one hand-written read; the model is whole."""
    data = dict(_session(owner.user).items())
    request = _request(data)
    assert request.session.items()  # the session is read first, as in a request
    with django_assert_num_queries(1):
        user = session_user(request)
    assert user == owner.user
    assert user.email == owner.user.email
    assert user.password == owner.user.password
    assert user.date_joined == owner.user.date_joined


def test_the_middleware_signs_members_in_through_it(owner, client):
    client.force_login(owner.user)
    response = client.get("/")
    assert response.wsgi_request.user == owner.user
