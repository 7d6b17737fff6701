"""Limits and headers (issue 20, item 7): size cap, no-store, HSTS, CR/LF, key,
Server banner."""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from crm.core import principals
from crm.core.mail import send_templated_mail
from crm.core.tests.test_urls import ID_KWARG, _factory, _fill, all_routes
from crm.firms.forms import FirmForm
from crm.firms.tests.factories import FirmFactory

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_a_body_over_the_cap_is_refused_before_it_is_read(owner_client, settings):
    """A declared body over MAX_REQUEST_BYTES gets 413 without reaching the view."""
    settings.MAX_REQUEST_BYTES = 1024
    response = owner_client.generic(
        "POST",
        "/clients/imports/new/",
        b"x" * 10,
        content_type="text/csv",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored_by_any_cache(owner_client, client):
    """Pages for a member carry no-store; the public login page needs none."""
    page = owner_client.get("/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    assert "no-store" in client.get("/login/")["Cache-Control"]  # never_cache


# Downloads of personal data, by URL name; ids come from the isolation factories.
DOWNLOADS = (
    "cases:document_download",
    "contacts:contact_export",
    "contacts:import_errors_csv",
    "advice:case_export",
    "support:case_export",
    "income:income_export",
    "complaints:complaint_export",
)


@pytest.mark.django_db
def test_downloads_with_personal_data_are_not_stored_by_any_cache(
    firm, owner, login, login_as
):
    """Documents and CSV exports carry no-store, for members and portal clients."""
    firm.has_support = True
    firm.save(update_fields=["has_support"])
    staff = login(owner)
    routes = {name: route for route, name, _pattern in all_routes()}
    stored = []
    for name in DOWNLOADS:
        route = routes[name]
        ids = {k: _factory(name, k)(firm).pk for k in ID_KWARG.findall(route)}
        response = staff.get(_fill(route, ids))
        cache = response.get("Cache-Control", "")
        if response.status_code != 200 or "no-store" not in cache:
            stored.append(f"{name}: {response.status_code} {cache!r}")
    portal = login_as(principals.CLIENT, firm).get("/portal/")
    if "no-store" not in portal.get("Cache-Control", ""):
        stored.append(f"portal: {portal.status_code} {portal.get('Cache-Control')}")
    assert stored == []


def test_hsts_preload_is_opt_in(settings):
    """Preloading is not on by default; the deploy warning is silenced until it is."""
    from config.settings import base

    assert base.SECURE_HSTS_PRELOAD is False
    assert "security.W021" in base.SILENCED_SYSTEM_CHECKS


@pytest.mark.django_db
def test_a_firm_name_with_a_line_break_is_refused():
    """CR or LF in a firm name (it goes into the From header) is a form error."""
    form = FirmForm(
        data={
            "name": "Harbour\r\nBcc: victim@example.com",
            "brand_colour": "#1d4ed8",
            "default_follow_up_days": 3,
        }
    )
    assert form.is_valid() is False
    assert "one line" in form.errors["name"][0]
    firm = FirmFactory(name="Harbour\nBcc: x@example.com")
    with pytest.raises(ValidationError, match="one line"):
        firm.full_clean()


@pytest.mark.django_db
def test_mail_headers_never_carry_a_line_break(settings):
    """Even a stored name with a line break sends one From line, no extra header."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    firm = FirmFactory(name="Harbour\r\nBcc: victim@example.com")
    send_templated_mail(
        firm=firm,
        to="someone@example.com",
        template="firms/email/invitation",
        context={"invitation": None, "link": "http://x/", "inviter": None},
    )
    [message] = mail.outbox
    assert message.bcc == []
    assert "\n" not in message.from_email
    assert "Harbour Bcc: victim@example.com via Casework" in message.from_email


@pytest.mark.parametrize(
    "key",
    [
        "short-key",
        "a" * 60,
        "django-insecure-" + "k8Vq2xZr7Lm4Np9Ts3Wb6Yc1Hd5Fg0Jh" * 2,
    ],
)
def test_the_app_refuses_to_serve_with_a_weak_secret_key(key):
    """A short, repetitive or generated development key stops the WSGI app."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "SECRET_KEY": key,
            "DEBUG": "false",
            "DATABASE_URL": "sqlite:////tmp/casework-weak-key.sqlite3",
        }
    )
    serve = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert serve.returncode != 0
    assert "SECRET_KEY is too weak" in serve.stderr


def test_gunicorn_sends_no_server_banner(tmp_path):
    """Under the production server config, responses carry no ``Server`` header."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        }
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "config/gunicorn.conf.py",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        response = _get_when_up(f"http://127.0.0.1:{port}/login/")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert response.status == 200
    assert response.getheader("Server") is None
    assert "default-src 'none'" in str(response.getheader("Content-Security-Policy"))


def _get_when_up(url: str) -> http.client.HTTPResponse:
    """Return the response to GET ``url`` once the server answers.

    Up to 90 s: on a machine busy with other work gunicorn's start took over 20.
    """
    deadline = time.monotonic() + 90
    while True:
        try:
            response: http.client.HTTPResponse = urllib.request.urlopen(  # noqa: S310  # a local http URL
                url, timeout=5
            )
            return response
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
