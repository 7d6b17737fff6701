"""Report test data: rows dated in the past without going through the clock."""

import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone


def backdate(obj: Model, days: int, **fields: Any) -> None:
    """Move ``obj``'s ``created_at`` back ``days`` days (and set ``fields``)."""
    when = timezone.now() - datetime.timedelta(days=days)
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, **fields)  # type: ignore[attr-defined]  # every model here has objects
