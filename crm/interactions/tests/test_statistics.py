"""The planner knows the busiest clients' interaction counts (issue 21 item 4)."""

import pytest
from django.db import connection

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
