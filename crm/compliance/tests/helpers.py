"""Shared helpers for the compliance tests."""

import datetime

from django.utils import timezone

from crm.cases.models import Case


def close(case: Case, *, years_ago: float) -> Case:
    """Mark ``case`` closed ``years_ago`` years back (test data only)."""
    closed = timezone.now() - datetime.timedelta(days=365.25 * years_ago)
    Case.objects.filter(pk=case.pk).update(is_open=False, closed_at=closed)
    case.refresh_from_db()
    return case
