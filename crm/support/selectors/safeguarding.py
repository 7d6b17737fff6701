"""Safeguarding reads (SPEC I14): active stale-case alerts and the case-view log."""

from django.db.models import QuerySet

from crm.firms.models import Firm, User
from crm.support.models import CaseView, StaleCaseAlert


def stale_alert_list(
    *, firm: Firm, user: User, is_manager: bool, limit: int | None = None
) -> list[StaleCaseAlert]:
    """Return the active stale-case alerts ``user`` is told about, oldest first.

    A case manager hears about their own cases; a manager (one who may
    manage members) about every case. None while the firm has the alert off.
    """
    if not firm.stale_case_days:
        return []
    qs = StaleCaseAlert.objects.filter(
        firm=firm, cleared_at__isnull=True, case__is_open=True
    )
    if not is_manager:
        qs = qs.filter(case__owner=user)
    qs = qs.select_related("case", "case__owner").order_by("since", "id")
    return list(qs[:limit] if limit is not None else qs)


def case_view_list(*, firm: Firm, case_id: int | None = None) -> QuerySet[CaseView]:
    """Return views of High and Urgent cases, newest first, with case and viewer."""
    qs = CaseView.objects.filter(firm=firm)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs.select_related("case", "viewer").order_by("-viewed_at", "-id")
