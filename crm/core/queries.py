"""Follow-up states shared by leads and cases."""

from datetime import date

from django.utils import timezone


def follow_up_state(is_open: bool, day: date | None) -> str:
    """Return "overdue", "due" (today) or "" for a follow-up date.

    Closed work and work without a date are never flagged. Worked out in
    Python from two loaded columns: as a ``CASE`` annotation it cost each
    list's query about half a millisecond of compiling.
    """
    if not is_open or day is None:
        return ""
    today = timezone.localdate()
    if day < today:
        return "overdue"
    return "due" if day == today else ""
