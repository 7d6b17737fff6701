"""The session engine loads what Django's database store loads."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from crm.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_engine_is_the_projects():
    assert settings.SESSION_ENGINE == "crm.core.sessions"


def test_a_saved_session_loads_as_djangos_store_loads_it(django_assert_num_queries):
    """One query; the same data as Django's own store reads."""
    store = SessionStore()
    store["firm_id"] = 7
    store["nested"] = {"a": [1, 2]}
    store.save()
    key = store.session_key
    with django_assert_num_queries(1):
        loaded = SessionStore(key).load()
    assert loaded == DjangoStore(key).load() == {"firm_id": 7, "nested": {"a": [1, 2]}}


def test_an_expired_missing_or_corrupted_session_is_empty_and_drops_its_key():
    """As Django's: no data, and the key is dropped so a new one is made."""
    store = SessionStore()
    store["firm_id"] = 7
    store.save()
    expired = store.session_key
    Session.objects.filter(session_key=expired).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (expired, "no-such-session-key", None):
        session = SessionStore(key)
        assert session.load() == {}
        assert session.session_key is None
    corrupted = SessionStore()
    corrupted["x"] = 1
    corrupted.save()
    Session.objects.filter(session_key=corrupted.session_key).update(
        session_data="not signed"
    )
    assert SessionStore(corrupted.session_key).load() == {}


def test_a_signed_in_member_keeps_their_session(login, staff):
    """Pages load the session the sign-in saved, firm and all."""
    response = login(staff).get("/clients/")
    assert response.status_code == 200
    assert response.wsgi_request.user == staff.user
    assert response.wsgi_request.firm == staff.firm
