"""Query expressions shared by apps."""

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone


def follow_up_state(is_open: Q) -> Case:
    """Return "overdue", "due" (today) or "" for rows with a ``follow_up_date``.

    ``is_open`` says which rows are still open; closed ones are never flagged.
    """
    today = timezone.localdate()
    return Case(
        When(is_open & Q(follow_up_date__lt=today), then=Value("overdue")),
        When(is_open & Q(follow_up_date=today), then=Value("due")),
        default=Value(""),
        output_field=CharField(),
    )
