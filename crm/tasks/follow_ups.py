"""The member's follow-ups (C4): their leads and cases due by a day, as one list.

The Tasks page's My follow-ups tab and the dashboard read them
(``follow_up_list``, ``follow_up_count``).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.db.models import CharField, QuerySet, Value

from crm.cases.models import Case as CaseModel
from crm.cases.policies import case_visibility_as, child_visibility_of
from crm.cases.selectors import attach_clients
from crm.core.pagination import COUNT_CAP
from crm.core.prepared_count import PreparedCount
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.leads.choices import OPEN_STATUSES as OPEN_LEAD_STATUSES
from crm.leads.models import Lead


@dataclass(frozen=True)
class FollowUp:
    """One lead or case of the member's with a follow-up due by today (C4).

    ``item`` is the ``Lead`` or the ``Case`` (with its client or clients
    loaded), so a row links to it.
    """

    kind: Literal["lead", "case"]
    item: Lead | CaseModel


def _my_lead_follow_ups(*, firm_id: int, user_id: int, today: date) -> QuerySet[Lead]:
    return Lead.objects.filter(
        firm_id=firm_id,
        owner_id=user_id,
        status__in=OPEN_LEAD_STATUSES,
        follow_up_date__lte=today,
    )


def _my_case_follow_ups(
    *,
    firm_id: int,
    user_id: int,
    today: date,
    seen: str,
    viewer_id: int | None = None,
) -> QuerySet[CaseModel]:
    """The member's case follow-ups due by ``today`` they may see."""
    cases = CaseModel.objects.filter(firm_id=firm_id)
    return case_visibility_as(cases, seen=seen, viewer_id=viewer_id).filter(
        owner_id=user_id, is_open=True, follow_up_date__lte=today
    )


def follow_up_list(
    *,
    firm: Firm,
    user: User,
    principal: Principal | None,
    today: date,
    offset: int = 0,
    limit: int = 25,
) -> list[FollowUp]:
    """Return the member's lead and case follow-ups due by ``today``, earliest first.

    The two tables are merged and paged in the database (one UNION query of
    dates and ids), then the page's leads and cases are read with their
    clients: four queries whatever the page size. Cases follow the member's
    case visibility; ties on a date list cases before leads, then by id.
    """
    text: CharField[str, str] = CharField()
    leads = (
        _my_lead_follow_ups(firm_id=firm.pk, user_id=user.pk, today=today)
        .annotate(row_kind=Value("lead", output_field=text))
        .values_list("follow_up_date", "pk", "row_kind")
    )
    cases = (
        _my_case_follow_ups(
            firm_id=firm.pk,
            user_id=user.pk,
            today=today,
            **child_visibility_of(principal),
        )
        .annotate(row_kind=Value("case", output_field=text))
        .values_list("follow_up_date", "pk", "row_kind")
    )
    merged = leads.order_by().union(cases.order_by(), all=True)
    order = ("follow_up_date", "row_kind", "pk")
    rows = list(merged.order_by(*order)[offset : offset + limit])
    lead_ids = [pk for _, pk, kind in rows if kind == "lead"]
    case_ids = [pk for _, pk, kind in rows if kind == "case"]
    found: dict[tuple[str, int], Lead | CaseModel] = {}
    if lead_ids:
        lead_qs = Lead.objects.filter(firm=firm, pk__in=lead_ids).select_related(
            "contact"
        )
        found |= {("lead", lead.pk): lead for lead in lead_qs}
    if case_ids:
        due_cases = list(CaseModel.objects.filter(firm=firm, pk__in=case_ids))
        attach_clients(due_cases, firm=firm)
        found |= {("case", case.pk): case for case in due_cases}
    return [
        FollowUp(kind=kind, item=found[kind, pk])
        for _, pk, kind in rows
        if (kind, pk) in found
    ]


def follow_up_count(
    *, firm: Firm, user: User, principal: Principal | None, today: date
) -> int:
    """Count the member's follow-ups due by ``today``: the tab and the dashboard.

    One query, capped at ``COUNT_CAP + 1`` rows ("1,000+" on the page).
    """
    return _FOLLOW_UP_COUNT(
        firm_id=firm.pk,
        user_id=user.pk,
        today=today,
        cap=COUNT_CAP + 1,
        **child_visibility_of(principal),
    )


def _follow_up_count(
    *,
    firm_id: int,
    user_id: int,
    today: date,
    cap: int,
    seen: str,
    viewer_id: int | None = None,
) -> QuerySet[Any]:
    leads = _my_lead_follow_ups(firm_id=firm_id, user_id=user_id, today=today)
    cases = _my_case_follow_ups(
        firm_id=firm_id, user_id=user_id, today=today, seen=seen, viewer_id=viewer_id
    )
    merged = (
        leads.values("pk").order_by().union(cases.values("pk").order_by(), all=True)
    )
    return merged[:cap]


# Counted by SQL compiled once a process (``crm.core.prepared_count``).
_FOLLOW_UP_COUNT = PreparedCount(Lead, _follow_up_count, shapes=("cap",))
