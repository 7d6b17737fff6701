"""What the advice module adds to the registries (called from ``ready()``)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.advice import readiness
from crm.advice import selectors as advice_selectors
from crm.advice.choices import (
    ADVICE_STATUS_COLOURS,
    CLOSED_STATUSES,
    REFERENCE_CODES,
    TRANSITIONS,
    WIZARD_START_STATUSES,
    AdviceEventType,
    AdviceKind,
    AdviceStatus,
    MortgageType,
)
from crm.advice.factfind.choices import (
    ChangeSource,
    FactFindContactEventType,
    FactFindEventType,
)
from crm.advice.models import MortgageDetails
from crm.advice.services import remortgage
from crm.cases import kinds
from crm.cases.models import Case
from crm.core import events, sections
from crm.core.exceptions import ApplicationError
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.tasks import follow_ups as task_follow_ups


def _detail_fields() -> set[str]:
    return {f.name for f in MortgageDetails._meta.concrete_fields} - {
        "id",
        "firm",
        "case",
    }


def _check_new(*, firm: Firm, data: Any) -> None:
    """Refuse Offer Qualified on anything but a mortgage case (seed 000)."""
    details = data.details
    unknown = set(details) - _detail_fields()
    if unknown:
        msg = f"Unknown advice case details: {sorted(unknown)}"
        raise ValueError(msg)
    if details.get("offer_qualified") and data.kind != AdviceKind.MORTGAGE:
        raise ApplicationError(
            "Offer Qualified applies to mortgage cases only.",
            "invalid",
            {"field": "offer_qualified"},
        )


def _create_mortgage_details(
    *, firm: Firm, case: Case, details: dict[str, Any]
) -> None:
    values = {**details, "offer_qualified": bool(details.get("offer_qualified"))}
    values["mortgage_type"] = values.get("mortgage_type") or MortgageType.RESIDENTIAL
    MortgageDetails.objects.create(firm=firm, case=case, **values)


def _statuses(kind: str) -> tuple[tuple[str, Any], ...]:
    return tuple((s, AdviceStatus(s).label) for s in TRANSITIONS[kind])


def _mortgage_updated(params: dict[str, Any]) -> events.HistoryLine:
    return events.HistoryLine(
        str(AdviceEventType.MORTGAGE_UPDATED.label), changes=params.get("changes", {})
    )


def _remortgage_opened(params: dict[str, Any]) -> str:
    line = f"Remortgage case {params.get('reference', '')} opened"
    if params.get("follow_up_date"):
        day = date.fromisoformat(params["follow_up_date"])
        line += f", follow-up {day.day} {day:%b %Y}"
    return line


def _fact_find_line(type: FactFindEventType) -> events.Formatter:
    """Return the History card's formatter of a Fact Find or D&N entry."""

    def line(params: dict[str, Any]) -> events.HistoryLine:
        title = str(type.label)
        if params.get("section"):
            title = f"{title}: {params['section']}"
        if params.get("client"):
            title = f"{title} ({params['client']})"
        if params.get("row"):
            title = f"{title}: {params['row']}"
        if params.get("source") == ChangeSource.CLIENT:
            title = f"{title}, entered by the client"
        return events.HistoryLine(title, changes=params.get("changes", {}))

    return line


def _register_fact_find() -> None:
    for type in FactFindEventType:
        events.register("case", type, type.label, _fact_find_line(type))
    events.register_types("contact", FactFindContactEventType.choices)
    readiness.register("fact_find", readiness.fact_find_blockers, order=10)


DASHBOARD_ROWS = 8


def _follow_ups(
    *, firm: Firm, user: User, principal: Principal, today: date
) -> dict[str, Any]:
    """Return the member's earliest case and lead follow-ups due by ``today`` (C4).

    The same selectors as the Tasks page's My follow-ups tab, so the tile's
    count is the tab's.
    """
    return {
        "follow_ups": task_follow_ups.follow_up_list(
            firm=firm, user=user, principal=principal, today=today, limit=DASHBOARD_ROWS
        ),
        "follow_up_count": task_follow_ups.follow_up_count(
            firm=firm, user=user, principal=principal, today=today
        ),
    }


def _my_stages(
    *, firm: Firm, user: User, principal: Principal, today: date
) -> dict[str, Any]:
    """Return the member's open mortgage and protection cases by stage (L1)."""
    return {"my_stages": advice_selectors.stage_counts(firm=firm, owner_id=user.pk)}


def register() -> None:
    """Register the mortgage and protection kinds and advice history entries."""
    common: dict[str, Any] = {
        "colours": ADVICE_STATUS_COLOURS,
        "module": "advice",
        "reason_required": frozenset({AdviceStatus.NOT_PROCEEDING_WITH.value}),
        "not_reopenable": frozenset({AdviceStatus.REMORTGAGE.value}),
        "after_move": remortgage.after_move,
        "closed_statuses": frozenset(str(s) for s in CLOSED_STATUSES),
        "start_statuses": tuple(str(s) for s in WIZARD_START_STATUSES),
        "detail_url_name": "advice:case_detail",
        "create_url_name": "advice:wizard_start",
        "create_label": _("+ New Case"),
        "create_choice": _("Mortgage or protection case"),
        "list_url_name": "advice:case_list",
        "check_new": _check_new,
    }
    kinds.register(
        kinds.CaseKind(
            value=AdviceKind.MORTGAGE.value,
            label=_("Mortgage"),
            reference_code=REFERENCE_CODES[AdviceKind.MORTGAGE],
            statuses=_statuses(AdviceKind.MORTGAGE),
            transitions=TRANSITIONS[AdviceKind.MORTGAGE],
            order=10,
            create_details=_create_mortgage_details,
            # FCA MCOB 9.5: mortgage advice records at least three years.
            retention_min_years=3,
            retention_default_years=3,
            **common,
        )
    )
    kinds.register(
        kinds.CaseKind(
            value=AdviceKind.PROTECTION.value,
            label=_("Protection"),
            reference_code=REFERENCE_CODES[AdviceKind.PROTECTION],
            statuses=_statuses(AdviceKind.PROTECTION),
            transitions=TRANSITIONS[AdviceKind.PROTECTION],
            order=20,
            # FCA COBS 9.5: protection (life policy) advice records five years.
            retention_min_years=5,
            retention_default_years=5,
            **common,
        )
    )
    events.register(
        "case",
        AdviceEventType.MORTGAGE_UPDATED,
        AdviceEventType.MORTGAGE_UPDATED.label,
        _mortgage_updated,
    )
    events.register(
        "case",
        AdviceEventType.REMORTGAGE_OPENED,
        AdviceEventType.REMORTGAGE_OPENED.label,
        _remortgage_opened,
    )
    _register_fact_find()
    sections.register(
        sections.Section(
            page="dashboard",
            key="follow_ups",
            template="advice/_dashboard_follow_ups.html",
            provider=_follow_ups,
            region="tiles",
            order=10,
            module="advice",
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="my_stages",
            template="advice/_dashboard_stages.html",
            provider=_my_stages,
            region="tiles",
            order=15,
            module="advice",
        )
    )
