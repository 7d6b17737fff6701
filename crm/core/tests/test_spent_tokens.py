"""A create form's one-time token is spent in one statement (A10, bench notes 42)."""

import pytest
from django.db import connection

from crm.core import concurrency
from crm.core.models import SpentToken

pytestmark = pytest.mark.django_db


def test_spending_a_token_is_one_statement_and_a_second_spend_is_refused(
    firm, other_firm, django_assert_num_queries
):
    """One INSERT ... ON CONFLICT DO NOTHING (three before: a savepoint around
    the insert); the second post learns where the first one went."""
    with django_assert_num_queries(1):
        concurrency.spend_token(firm=firm, token="t1", purpose="wizard")
    concurrency.token_result(firm=firm, token="t1", url="/cases/7/")
    with pytest.raises(concurrency.AlreadySubmitted) as refused:
        concurrency.spend_token(firm=firm, token="t1", purpose="wizard")
    assert refused.value.url == "/cases/7/"
    # The transaction goes on after the refusal (nothing was aborted), and the
    # same token in another firm is that firm's own.
    concurrency.spend_token(firm=other_firm, token="t1", purpose="wizard")
    spent = SpentToken.objects.order_by("firm_id").values_list("firm_id", "token")
    assert list(spent) == [(firm.pk, "t1"), (other_firm.pk, "t1")]
    assert SpentToken.objects.get(firm=firm).created_at is not None


def test_a_blank_token_is_not_checked(firm, django_assert_num_queries):
    """A caller with no form (a job) passes no token: nothing is written."""
    with django_assert_num_queries(0):
        concurrency.spend_token(firm=firm, token="", purpose="wizard")


def test_without_returning_a_token_is_spent_in_a_savepoint(firm, monkeypatch):
    """SQLite before 3.35 returns no row from an insert: the savepoint way."""
    if connection.vendor != "sqlite":
        pytest.skip("Only SQLite comes without RETURNING (before 3.35).")
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    concurrency.spend_token(firm=firm, token="t2", purpose="wizard")
    with pytest.raises(concurrency.AlreadySubmitted):
        concurrency.spend_token(firm=firm, token="t2", purpose="wizard")
    assert SpentToken.objects.filter(firm=firm, token="t2").count() == 1
