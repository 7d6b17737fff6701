"""A new row inserted by a kept statement is the row ``save`` would insert."""

from typing import Any

import pytest
from django.db import connection, models
from django.db.models import QuerySet, signals
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from crm.core import kept_insert
from crm.core.models import AuditEvent, StoredEmail

pytestmark = pytest.mark.django_db

FIELDS = (
    "firm_id",
    "actor_id",
    "verb",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip_address",
    "created_at",
    "prev_hash",
    "body_hash",
    "hash",
    "redacted_at",
)


def _event(firm, owner, **extra) -> AuditEvent:
    values = {
        "firm": firm,
        "actor": owner.user,
        "verb": "view",
        "object_type": "contact",
        "object_id": "7",
        "object_repr": 'O\'Brien & "Sons"',
        "changes": {"a": [1, "two", None], "ü": {"nested": True}},
        "ip_address": "2001:db8::1",
        **extra,
    }
    return AuditEvent(**values)


def _row(pk: int) -> dict[str, Any]:
    with scopes_disabled():
        row: dict[str, Any] = AuditEvent.objects.filter(pk=pk).values(*FIELDS).get()
    return row


@pytest.mark.parametrize(
    "extra", [{}, {"actor": None, "ip_address": None, "changes": {}}]
)
def test_the_kept_insert_writes_what_save_writes(firm, owner, extra):
    saved = _event(firm, owner, **extra)
    saved.save()
    kept = _event(firm, owner, created_at=saved.created_at, **extra)
    with CaptureQueriesContext(connection) as queries:
        kept_insert.insert(kept, own_save=True)
    assert len(queries) == 1
    assert kept.pk is not None
    assert kept.pk != saved.pk
    assert kept._state.adding is False
    assert kept._state.db == "default"
    assert _row(kept.pk) == _row(saved.pk)
    again = _event(firm, owner, **extra)
    kept_insert.insert(again, own_save=True)  # the kept statement, checked
    assert _row(again.pk)["changes"] == _row(saved.pk)["changes"]


def test_a_model_with_its_own_save_goes_through_it_unless_vouched(firm, owner):
    event = _event(firm, owner)
    event.save()
    with pytest.raises(ValueError, match="append-only"):
        kept_insert.insert(event, own_save=True)  # not new: save refuses
    calls = []

    def spy(self, *args, **kwargs):
        calls.append(self)
        return models.Model.save(self, *args, **kwargs)

    original = AuditEvent.save
    AuditEvent.save = spy  # type: ignore[method-assign]  # a spy for this test
    try:
        kept_insert.insert(_event(firm, owner))
        kept_insert.insert(_event(firm, owner), own_save=True)
    finally:
        AuditEvent.save = original  # type: ignore[method-assign]  # the spy removed
    assert len(calls) == 1


def test_receivers_an_id_or_an_expression_send_the_row_through_save(firm, owner):
    """Whatever save could do more goes through save."""
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    signals.post_save.connect(receiver, sender=StoredEmail)
    try:
        mail = StoredEmail(recipient="a@example.com", subject="s", body="b")
        kept_insert.insert(mail)
    finally:
        signals.post_save.disconnect(receiver, sender=StoredEmail)
    assert seen == [mail]
    plain = StoredEmail(recipient="b@example.com", subject="s", body="b")
    kept_insert.insert(plain)
    assert plain.pk is not None
    assert StoredEmail.objects.get(pk=plain.pk).recipient == "b@example.com"
    moment = StoredEmail(
        recipient="c@example.com",
        subject="s",
        body="b",
        created_at=models.functions.Now(),
    )
    kept_insert.insert(moment)
    assert StoredEmail.objects.get(pk=moment.pk).created_at <= timezone.now()


def test_a_column_the_database_returns_sends_the_row_through_save(
    firm, owner, monkeypatch
):
    """save reads such a column back from its insert; the kept insert would not."""
    meta = AuditEvent._meta
    returning = [meta.pk, meta.get_field("created_at")]
    monkeypatch.setitem(meta.__dict__, "db_returning_fields", returning)
    kept_insert._fields.cache_clear()
    try:
        with CaptureQueriesContext(connection) as queries:
            kept_insert.insert(_event(firm, owner), own_save=True)
    finally:
        kept_insert._fields.cache_clear()
    assert '"created_at"' in queries[-1]["sql"].rsplit("RETURNING", 1)[1]


@pytest.mark.parametrize("kept", [True, False])
def test_a_skipped_conflict_inserts_nothing_and_the_transaction_goes_on(
    firm, owner, kept, django_assert_num_queries
):
    """skip_conflict: a row whose unique key is taken is not inserted (False,
    no id), in one statement (ON CONFLICT DO NOTHING), or through save in a
    savepoint (with its rollback and release: four) where the kept insert
    does not apply; the caller's transaction carries on either way."""
    from django.db import transaction

    from crm.contacts.models import Contact

    def row(email: str) -> Contact:
        return Contact(
            firm=firm,
            first_name="Kay",
            email=email,
            email_norm=email,
            email_key=email,
            created_by=owner.user,
        )

    assert kept_insert.insert(row("kay@example.com"), skip_conflict=True)
    taken = row("kay@example.com")
    with transaction.atomic():
        with django_assert_num_queries(1 if kept else 4):
            if kept:
                inserted = kept_insert.insert(taken, skip_conflict=True)
            else:
                inserted = kept_insert._saved(taken, "default", skip_conflict=True)
        assert inserted is False
        assert taken.pk is None
        assert taken._state.adding
        other = row("other@example.com")
        assert kept_insert.insert(other, skip_conflict=True)
        assert other.pk is not None
    assert Contact.objects.filter(firm=firm, email_norm="kay@example.com").count() == 1


def test_a_few_rows_go_in_one_values_insert_as_bulk_create_writes_them(firm, owner):
    """insert_many: one statement with a VALUES row each (no UNNEST arrays),
    ids set in the rows' order, and the rows bulk_create writes."""
    when = timezone.now()
    extras: list[dict[str, Any]] = [
        {},
        {"actor": None, "ip_address": None, "changes": {}},
        {"verb": "x"},
    ]
    bulk = [_event(firm, owner, created_at=when, **extra) for extra in extras]
    with scopes_disabled():
        AuditEvent.objects.bulk_create(bulk)
    kept = [_event(firm, owner, created_at=when, **extra) for extra in extras]
    with CaptureQueriesContext(connection) as queries:
        kept_insert.insert_many(kept)
    assert len(queries) == 1
    assert "UNNEST" not in queries[0]["sql"]
    assert queries[0]["sql"].count("), (") == 2
    assert [e.pk for e in kept] == sorted(e.pk for e in kept)
    assert all(e._state.adding is False and e._state.db == "default" for e in kept)
    assert [_row(e.pk) for e in kept] == [_row(e.pk) for e in bulk]


def test_many_rows_go_through_bulk_create(firm, owner, monkeypatch):
    """More than MANY_AT_MOST rows (an import's batch): bulk_create's insert."""
    monkeypatch.setattr(kept_insert, "MANY_AT_MOST", 2)
    bulk = []
    original = QuerySet.bulk_create

    def spy(self, objs, *args, **kwargs):
        bulk.append(len(objs))
        return original(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", spy)
    rows = [_event(firm, owner, object_id=str(i)) for i in range(3)]
    with CaptureQueriesContext(connection) as queries:
        kept_insert.insert_many(rows)
    assert bulk == [3]
    assert len(queries) == 1
    assert all(e.pk is not None for e in rows)
    with scopes_disabled():
        assert AuditEvent.objects.filter(pk__in=[e.pk for e in rows]).count() == 3
