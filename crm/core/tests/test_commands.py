"""Management commands: demo data and the production settings check."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.core.management import call_command

from crm.cases.models import Case
from crm.core import demo
from crm.core.models import StoredEmail
from crm.firms.demo import ADVICE_FIRM, MIXED_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, Introducer, Membership, Negotiator, User
from crm.portal.models import RequestedAction

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_seed_demo_never_sends_to_a_mail_server(settings, monkeypatch):
    """With SMTP configured (DEBUG off), the demo's e-mails go to the mailbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens

    def seed() -> None:
        send_mail("Demo", "Hello", "casework@example.com", ["someone@example.com"])

    monkeypatch.setattr(demo, "seed", seed)
    call_command("seed_demo", stdout=StringIO())
    assert StoredEmail.objects.get().recipient == "someone@example.com"


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins():
    """Running seed_demo twice gives the same data and prints every login."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert Firm.objects.count() == 3
    advice = Firm.objects.get(name=ADVICE_FIRM)
    charity = Firm.objects.get(name=SUPPORT_FIRM)
    mixed = Firm.objects.get(name=MIXED_FIRM)
    assert (advice.has_advice, advice.has_support) == (True, False)
    assert (charity.has_advice, charity.has_support) == (False, True)
    # Issue 13 item 6: one demo firm has both modules, with a little of each.
    assert (mixed.has_advice, mixed.has_support) == (True, True)
    assert Membership.objects.filter(firm=advice).count() == 5
    assert set(
        Membership.objects.filter(firm=advice).values_list("role", flat=True)
    ) == {"owner", "adviser", "administrator", "read_only"}
    assert Membership.objects.filter(firm=charity).count() == 4
    assert Membership.objects.filter(firm=mixed).count() == 2
    assert Introducer.objects.filter(firm=advice).count() == 3
    assert Negotiator.objects.filter(firm=advice).count() == 12
    assert User.objects.count() == 10
    # Every kind's demo loader ran: advice cases for the firm, support cases
    # for the charity (a loader skipped by a moved module would leave none).
    kinds = set(Case.objects.values_list("firm_id", "kind").distinct())
    assert {(advice.pk, "mortgage"), (advice.pk, "protection")} <= kinds
    assert (charity.pk, "support") in kinds
    assert {
        (mixed.pk, "mortgage"),
        (mixed.pk, "protection"),
        (mixed.pk, "support"),
    } <= kinds
    # The demo portal client has started their Fact Find in the portal.
    started = RequestedAction.objects.get(firm=advice, kind="fact_find")
    assert started.status == "in_progress"
    text = out.getvalue()
    assert "helen.carter@harbour.example" in text
    assert "nadia.ellis@severn.example" in text
    assert "casework-demo" in text


def test_deploy_check_passes_with_production_environment():
    """`check --deploy --fail-level WARNING` passes with production variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBUG", "SECURE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": "prod-" + "k8Vq2xZr7Lm4Np9Ts3Wb6Yc1Hd5Fg0Jh" * 2,
            "ALLOWED_HOSTS": "casework.example.com",
            "DATABASE_URL": "sqlite:////tmp/casework-deploy-check.sqlite3",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_settings_accept_a_random_key_starting_with_dollar():
    """A generated SECRET_KEY starting with "$" must not be read as a variable."""
    code = (
        "import django.core.management.utils as u\n"
        "u.get_random_secret_key = lambda: '$notavariable-' + 'x' * 40\n"
        "import config.settings.base as s\n"
        "assert s.SECRET_KEY.startswith('$notavariable-')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_management_commands_run_without_secret_key_and_wsgi_refuses():
    """migrate-style commands work with no SECRET_KEY; serving without one fails."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = "sqlite:////tmp/casework-nokey-check.sqlite3"
    check = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr[-2000:]
    serve = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert serve.returncode != 0
    assert "Set the SECRET_KEY" in serve.stderr
