"""Reads for the dashboard."""

from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce

from crm.core import sections
from crm.core.principals import Principal
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


def dashboard_for_member(
    *, firm: Firm, user: User, principal: Principal, today: date
) -> sections.Gathered:
    """Return the member's dashboard tiles, as the apps registered them (L1).

    Each app adds its own: follow-ups and the pipeline for advice firms, the
    open cases a case manager runs for support firms, everyone's tasks.
    """
    return sections.gather(
        "dashboard", firm=firm, user=user, principal=principal, today=today
    )
