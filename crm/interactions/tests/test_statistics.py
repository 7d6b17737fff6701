"""The planner reads a busy client's interactions well (issue 21 item 4)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_interactions_keep_finer_statistics_for_their_client():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute "
            "WHERE attrelid = 'interactions_interaction'::regclass "
            "AND attname = 'contact_id'"
        )
        (target,) = cursor.fetchone()
    assert target == 1000


AVERAGE = 3000  # clients with one interaction each


def _generic_plan(qs) -> list[str]:
    """Return PostgreSQL's generic plan of ``qs`` run for its values, as a
    kept plan of a detail page would be (``crm.core.kept_plans``)."""
    sql, params = qs.query.sql_with_params()
    assert all(isinstance(p, int) for p in params)  # ids only: inlined below
    numbered = sql
    for number in range(1, len(params) + 1):
        numbered = numbered.replace("%s", f"${number}", 1)
    values = ", ".join(str(p) for p in params)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE busy_client AS {numbered}")
        try:
            explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)"
            cursor.execute(f"{explain} EXECUTE busy_client({values})")
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute("DEALLOCATE busy_client")


def test_a_busy_clients_page_is_the_indexs_first_entries_in_a_kept_plan(firm):
    """A generic plan knows an average client's rows only (one here): joined
    and sorted, it read all 40 of a busy client's. The page's ids are asked
    alone, so it reads the index's first ten (migration 0007, bench notes 43;
    a case's rows are read the same way, through ``_newest_ids``)."""
    from django_scopes import scope

    from crm.contacts.models import Contact
    from crm.contacts.tests.factories import ContactFactory
    from crm.interactions import selectors
    from crm.interactions.models import Interaction
    from crm.interactions.tests.factories import InteractionFactory

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner's choice")
    others = Contact.objects.bulk_create(
        ContactFactory.build(firm=firm, email="", mobile="") for _ in range(AVERAGE)
    )
    Interaction.objects.bulk_create(
        InteractionFactory.build(contact=other, firm=firm, interaction_type=None)
        for other in others
    )
    contact = ContactFactory(firm=firm)
    start = timezone.now()
    for minutes in range(40):
        InteractionFactory(
            contact=contact, occurred_at=start - timedelta(minutes=minutes)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE interactions_interaction")
    with scope(firm=firm):
        qs = selectors._record_rows(
            firm_id=firm.pk, contact_id=contact.pk, limit=10, theirs=False, seen="all"
        )
        assert len(list(qs)) == 10
        plan = _generic_plan(qs)
    scans = [line for line in plan if " on interactions_interaction" in line]
    shown = "\n".join(plan)
    assert any(
        "interaction_contact_newest" in line and "rows=10 " in line for line in scans
    ), shown
    assert not any("rows=40 " in line for line in plan), shown
