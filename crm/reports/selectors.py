"""Reads for the dashboard."""

from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce

from crm.cases import selectors as case_selectors
from crm.firms.models import (
    Branch,
    Firm,
    InteractionType,
    Introducer,
    Invitation,
    Membership,
    TaskCategory,
    User,
)
from crm.leads import selectors as lead_selectors
from crm.leads.choices import OPEN_STATUSES
from crm.support import selectors as support_selectors
from crm.tasks import selectors as task_selectors

DASHBOARD_ROWS = 8


def _count(model: type[Model], **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(firm=OuterRef("pk"), **filters)  # type: ignore[attr-defined]  # every FirmOwnedModel has objects
        .order_by()
        .values("firm")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def dashboard_summary(*, firm: Firm) -> dict[str, int]:
    """Return counts of what the firm has set up, in one query."""
    row = (
        Firm.objects.filter(pk=firm.pk)
        .annotate(
            members=_count(Membership, is_active=True),
            invitations=_count(Invitation, accepted_at=None, revoked_at=None),
            branches=_count(Branch, is_active=True),
            introducers=_count(Introducer, is_active=True),
            interaction_types=_count(InteractionType, is_active=True),
            task_categories=_count(TaskCategory, is_active=True),
        )
        .values(
            "members",
            "invitations",
            "branches",
            "introducers",
            "interaction_types",
            "task_categories",
        )
        .get()
    )
    return {key: int(value) for key, value in row.items()}


def dashboard_for_member(*, firm: Firm, user: User, today: date) -> dict[str, Any]:
    """Return the member's dashboard: follow-ups, tasks, pipeline and, for
    Support firms, the open cases they manage, most concerning first (L1)."""
    data: dict[str, Any] = {
        "tasks": list(
            task_selectors.task_list(
                firm=firm, tab="mine", user=user, status="open", today=today
            )[:DASHBOARD_ROWS]
        ),
        "task_counts": task_selectors.task_counts(firm=firm, user=user, today=today),
        "follow_ups": [],
        "case_follow_ups": [],
        "pipeline": [],
        "support_cases": [],
    }
    if firm.has_support:
        data["support_cases"] = list(
            support_selectors.support_case_list(
                firm=firm, tab="open", owner_id=user.pk, sort="-concern"
            )[:DASHBOARD_ROWS]
        )
    if firm.has_advice:
        data["follow_ups"] = list(
            lead_selectors.lead_follow_up_list(
                firm=firm, owner_id=user.pk, due_by=today
            )[:DASHBOARD_ROWS]
        )
        data["case_follow_ups"] = list(
            case_selectors.case_follow_up_list(
                firm=firm, owner_id=user.pk, due_by=today
            )[:DASHBOARD_ROWS]
        )
        counts = lead_selectors.lead_status_counts(firm=firm)
        data["pipeline"] = [
            {"status": status, "label": status.label, "count": counts[status]}
            for status in OPEN_STATUSES
        ]
    return data
