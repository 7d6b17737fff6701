"""Case references stay distinct when many cases are created at once (D1).

Each of 50 threads opens its own database connection and calls
``case_create`` at the same moment (a barrier releases them together).

On PostgreSQL the threads use the test database directly. pytest-django's
SQLite test database lives in memory with a shared cache, where concurrent
writers fail with "database table is locked" instead of waiting, unlike the
file database the app runs on. So on SQLite the test copies the test database
(with the SQLite backup API) to a temporary file, and each thread swaps its
own ``default`` connection (connections are per thread) for one to that file,
with the app's real options (WAL, IMMEDIATE transactions, busy timeout).
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django_scopes import scope

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.cases.services import NewCase, case_create
from crm.contacts.models import Contact
from crm.contacts.tests.factories import ContactFactory
from crm.firms.models import Firm

THREADS = 50


@contextmanager
def _thread_connection(file_db: Path | None) -> Iterator[None]:
    """Give this thread its own connection, to ``file_db`` if given."""
    if file_db is not None:
        wrapper_class = type(connections["default"])
        settings = {**connection.settings_dict, "NAME": str(file_db)}
        connections["default"] = wrapper_class(settings, "default")
    try:
        yield
    finally:
        connections["default"].close()


def _run_threads(target: Callable[[int], str]) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(THREADS)
    references: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            reference = target(index)
        except BaseException as exc:  # reported by the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                references.append(reference)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return references, errors


def _copy_memory_db(tmp_path: Path) -> Path | None:
    """Return a file copy of SQLite's in-memory test database, else None."""
    db = connections["default"]
    if not isinstance(db, SQLiteDatabaseWrapper) or not db.is_in_memory_db():
        return None
    db.ensure_connection()
    path = tmp_path / "concurrency.sqlite3"
    target = sqlite3.connect(path)
    db.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    return path


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_creates_get_fifty_distinct_references(
    tmp_path: Path,
) -> None:
    """50 cases created from 50 threads at once get 50 distinct references."""
    from crm.firms.tests.factories import FirmFactory

    firm = FirmFactory(has_advice=True)
    contact_ids = [ContactFactory(firm=firm).pk for _ in range(THREADS)]
    file_db = _copy_memory_db(tmp_path)

    def create(index: int) -> str:
        with _thread_connection(file_db), scope(firm=firm):
            own_firm = Firm.objects.get(pk=firm.pk)
            contact = Contact.objects.get(firm=own_firm, pk=contact_ids[index])
            case = case_create(
                firm=own_firm,
                actor=None,
                data=NewCase(
                    kind=AdviceKind.MORTGAGE,
                    applicants=[contact],
                    owner=None,
                    status=AdviceStatus.NEW_LEAD,
                ),
            )
            return case.reference

    references, errors = _run_threads(create)
    assert errors == []
    assert len(references) == THREADS
    assert len(set(references)) == THREADS
    assert sorted(references) == [f"MTG-{n:05d}" for n in range(1, THREADS + 1)]
    if file_db is not None:
        with sqlite3.connect(file_db) as db:
            stored = db.execute(
                "SELECT COUNT(DISTINCT reference), COUNT(*) FROM cases_case"
            ).fetchone()
        assert stored == (THREADS, THREADS)
