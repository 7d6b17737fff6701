"""A worker killed mid-import: the import completes after a restart (A10).

Real ``manage.py db_worker`` processes against the test database, so
PostgreSQL only (SQLite's test database lives in this process's memory).
``IMPORT_CRASH_ROWS`` sets the file's size (the issue's check is 20,000).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from crm.contacts import services
from crm.contacts.models import Contact, ContactImport

ROOT = Path(__file__).resolve().parents[3]
ROWS = int(os.environ.get("IMPORT_CRASH_ROWS", "20000"))
LEASE_SECONDS = 3


def _worker(media: Path) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "1",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media),
        "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*"]
    command += ["--interval", "0.2", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(  # our own command, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"Timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_completes_after_restart(
    firm, owner, settings, tmp_path
):
    """kill -9 mid-import; a new worker retakes the task and imports every row once."""
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a shared database server")
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lines = ["First name,Last name,Email"]
    lines += [f"P{i},Crash,p{i}@crash.example" for i in range(ROWS)]
    upload = SimpleUploadedFile("big.csv", "\n".join(lines).encode())
    contact_import = services.contact_import_upload(
        firm=firm, actor=owner.user, upload=upload
    )
    services.contact_import_start(
        firm=firm,
        actor=owner.user,
        contact_import=contact_import,
        fields=["first_name", "last_name", "email"],
        duplicate_mode="skip",
    )
    task = DBTaskResult.objects.get()

    def processed():
        return ContactImport.objects.get(pk=contact_import.pk).processed_rows

    first = _worker(tmp_path)
    try:
        _wait(lambda: processed() > 0, 120, "the first batch")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    done_before = processed()
    assert 0 < done_before < ROWS
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert ContactImport.objects.get(pk=contact_import.pk).status == "running"

    second = _worker(tmp_path)
    try:
        _wait(
            lambda: ContactImport.objects.get(pk=contact_import.pk).status == "done",
            240,
            "the import to finish",
        )
    finally:
        second.terminate()
        second.wait(20)
    finished = ContactImport.objects.get(pk=contact_import.pk)
    assert (finished.processed_rows, finished.created_count) == (ROWS, ROWS)
    assert finished.error_count == finished.skipped_count == 0
    assert Contact.objects.filter(firm=firm, last_name="Crash").count() == ROWS
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2
