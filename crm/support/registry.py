"""What the support module adds to the registries (called from ``ready()``).

Besides its kind, support registers its history entries with the words its
case page's History card uses, and tells the kernel's own entries (opened,
closed, reopened, updated) its own way for support cases.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.db.models import TextChoices
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from crm.cases import kinds
from crm.cases.choices import CaseEventType
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.permissions import Perm
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.support import selectors
from crm.support.choices import (
    ConcernLevel,
    ConsentMethod,
    Duration,
    OutcomeEventType,
    PlanStatus,
    ReferralEventType,
    ReferralOutEventType,
    SafeguardingEventType,
    ScorePoint,
    Scorer,
    SupportContactEventType,
    SupportEventType,
    SupportKind,
    SupportStatus,
)
from crm.support.services import cases as case_services

FIELD_LABELS = {
    "title": "Title",
    "owner": "Case manager",
    "note": "Notes",
    "start_date": "Start date",
    "duration": "Duration",
    "expected_end_date": "Expected end date",
    "pathway": "Pathway",
    "description": "Description",
    "target_date": "Target date",
    "duration_minutes": "Duration (minutes)",
    "lead": "Lead",
    "status": "Status",
}
CHOICES: dict[str, type[TextChoices]] = {"duration": Duration, "status": PlanStatus}
DATE_FIELDS = frozenset(
    {"start_date", "expected_end_date", "target_date", "achieved_on"}
)
_ROW_ID = re.compile(r" \(#\d+\)$")


def readable(name: str, value: Any) -> Any:
    """Return a recorded value as a person reads it: labels, dates, no row ids."""
    if not isinstance(value, str) or not value:
        return value
    if name in CHOICES and value in CHOICES[name].values:
        return str(CHOICES[name](value).label)
    if name in DATE_FIELDS:
        try:
            return date_format(datetime.date.fromisoformat(value), "j M Y")
        except ValueError:
            return value
    return _ROW_ID.sub("", value)


def _changes(params: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        FIELD_LABELS.get(name, name): [readable(name, v) for v in values]
        for name, values in (params.get("changes") or {}).items()
        if isinstance(values, list)
    }


def concern_label(value: Any) -> str:
    """Return a concern level's label, or a dash for none."""
    return str(ConcernLevel(value).label) if value in ConcernLevel.values else "—"


def _line(
    title: Callable[[dict[str, Any]], str], *, changes: bool = True
) -> events.Formatter:
    """Return a formatter: ``title``, the entry's reason and its readable changes."""

    def formatter(params: dict[str, Any]) -> events.HistoryLine:
        return events.HistoryLine(
            title(params),
            reason=params.get("reason", ""),
            changes=_changes(params) if changes else {},
        )

    return formatter


def _achieved(p: dict[str, Any]) -> str:
    on = readable("achieved_on", p.get("achieved_on", ""))
    return f"Outcome achieved: {p.get('text', '')} (on {on})"


def _concern(p: dict[str, Any]) -> str:
    return (
        f"Concern level changed: {concern_label(p.get('from'))} "
        f"→ {concern_label(p.get('to'))}"
    )


T = SupportEventType
FORMATTERS: dict[str, events.Formatter] = {
    T.NEED_ADDED: _line(lambda p: f"Client need added: {p.get('text', '')}"),
    T.NEED_REMOVED: _line(lambda p: f"Client need removed: {p.get('text', '')}"),
    T.OUTCOME_ADDED: _line(lambda p: f"Desired outcome added: {p.get('text', '')}"),
    T.OUTCOME_REMOVED: _line(lambda p: f"Desired outcome removed: {p.get('text', '')}"),
    T.OUTCOME_ACHIEVED: _line(_achieved),
    T.OUTCOME_UNACHIEVED: _line(
        lambda p: f"Outcome marked not achieved: {p.get('text', '')}"
    ),
    T.PLAN_ADDED: _line(
        lambda p: f"Planned support added: {p.get('description')}", changes=False
    ),
    T.PLAN_UPDATED: _line(lambda p: f"Planned support updated: {p.get('description')}"),
    T.PLAN_DELETED: _line(lambda p: f"Planned support deleted: {p.get('description')}"),
    T.SERVICE_LINKED: _line(
        lambda p: f"External service linked: {p.get('contact')} ({p.get('role')})"
    ),
    T.SERVICE_UNLINKED: _line(
        lambda p: f"External service unlinked: {p.get('contact')} ({p.get('role')})"
    ),
    T.CONCERN_CHANGED: _line(_concern),
}


def _scores(p: dict[str, Any]) -> str:
    point = ScorePoint(p["point"]).label if p.get("point") in ScorePoint.values else ""
    scorer = Scorer(p["scorer"]).label if p.get("scorer") in Scorer.values else ""
    via = " through the scoring link" if p.get("via") == "link" else ""
    return (
        f"{p.get('scale', '')} scores recorded ({point}, {scorer}{via}): "
        f"average {p.get('average', '')}"
    )


def _score_link(p: dict[str, Any]) -> str:
    point = ScorePoint(p["point"]).label if p.get("point") in ScorePoint.values else ""
    to = f", e-mailed to {p['to']}" if p.get("to") else ""
    return f"Scoring link made for {p.get('scale', '')} ({point}{to})"


def _referral(p: dict[str, Any]) -> str:
    by = p.get("by", "")
    org = f" ({p['organisation']})" if p.get("organisation") else ""
    return f"Opened from a referral by {by}{org}"


def _referred_out(p: dict[str, Any]) -> str:
    method = p.get("method", "")
    how = ConsentMethod(method).label.lower() if method in ConsentMethod.values else ""
    consent = f"; consent {how}" if how else ""
    by = f", taken by {p['taken_by']}" if p.get("taken_by") else ""
    return f"Referred to {p.get('partner', '')}{consent}{by}"


def _partner_answer(verb: str) -> Callable[[dict[str, Any]], str]:
    def title(p: dict[str, Any]) -> str:
        note = f": {p['text']}" if p.get("text") else ""
        return f"Referral {verb} by {p.get('partner', '')}{note}"

    return title


FORMATTERS[ReferralOutEventType.REFERRED_OUT] = _line(_referred_out, changes=False)
FORMATTERS[ReferralOutEventType.REFERRAL_OUT_ACCEPTED] = _line(
    _partner_answer("accepted"), changes=False
)
FORMATTERS[ReferralOutEventType.REFERRAL_OUT_DECLINED] = _line(
    _partner_answer("declined"), changes=False
)
FORMATTERS[OutcomeEventType.SCORES_RECORDED] = _line(_scores, changes=False)
FORMATTERS[OutcomeEventType.SCORE_LINK_SENT] = _line(_score_link, changes=False)
FORMATTERS[ReferralEventType.OPENED_FROM_REFERRAL] = _line(_referral, changes=False)


def _reassigned(p: dict[str, Any]) -> str:
    was = p.get("from") or "nobody"
    return f"Case manager changed from {was} to {p.get('to', '')} (Workload page)"


def _stale(p: dict[str, Any]) -> str:
    since = readable("target_date", str(p.get("since", ""))[:10])
    return (
        f"Stale case alert: no interaction for {p.get('days', '')} days "
        f"(last in touch {since})"
    )


FORMATTERS[SafeguardingEventType.REASSIGNED] = _line(_reassigned, changes=False)
FORMATTERS[SafeguardingEventType.STALE_ALERT] = _line(_stale, changes=False)
EVENT_TYPES = (
    *SupportEventType.choices,
    *OutcomeEventType.choices,
    *ReferralEventType.choices,
    *ReferralOutEventType.choices,
    *SafeguardingEventType.choices,
)
# How the kernel's own entries read on a support case.
KERNEL_FORMATTERS: dict[str, events.Formatter] = {
    CaseEventType.CREATED: _line(lambda p: "Case opened"),
    CaseEventType.CLOSED: _line(lambda p: "Case closed"),
    CaseEventType.REOPENED: _line(lambda p: "Case reopened"),
    CaseEventType.UPDATED: _line(lambda p: str(CaseEventType.UPDATED.label)),
}


def _served_cases(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    """Return the support cases the contact serves as an external service."""
    return {
        "served_cases": selectors.served_cases(
            firm=firm, contact=contact, principal=principal
        )
    }


DASHBOARD_ROWS = 8


def _my_cases(
    *, firm: Firm, user: User, principal: Principal, today: datetime.date
) -> dict[str, Any]:
    """Return the open cases the member manages, most concerning first (L1)."""
    cases = selectors.support_case_list(
        firm=firm, tab="open", owner_id=user.pk, sort="-concern"
    )
    return {"support_cases": list(cases[:DASHBOARD_ROWS])}


def _due(
    *, firm: Firm, user: User, principal: Principal, today: datetime.date
) -> dict[str, Any]:
    """Return planned support due within a week and overdue outcomes (L1)."""
    return {
        "planned_due": selectors.planned_due_list(
            firm=firm,
            user_id=user.pk,
            due_by=today + datetime.timedelta(days=7),
            limit=DASHBOARD_ROWS,
        ),
        "outcomes_overdue": selectors.outcomes_overdue_list(
            firm=firm, owner_id=user.pk, today=today, limit=DASHBOARD_ROWS
        ),
    }


def _stale_cases(
    *, firm: Firm, user: User, principal: Principal, today: datetime.date
) -> dict[str, Any]:
    """Return the stale-case alerts the member is told about (I14)."""
    is_manager = principal.has_perm(Perm.MANAGE_MEMBERS)
    return {
        "stale_alerts": selectors.stale_alert_list(
            firm=firm, user=user, is_manager=is_manager, limit=DASHBOARD_ROWS
        ),
        "stale_alerts_manager": is_manager,
    }


def register() -> None:
    """Register the support kind, its history entries and how they read."""
    kinds.register(
        kinds.CaseKind(
            value=SupportKind.SUPPORT.value,
            label=_("Support"),
            reference_code="SUP",
            module="support",
            statuses=tuple(SupportStatus.choices),
            transitions={
                SupportStatus.OPEN.value: frozenset({SupportStatus.CLOSED.value}),
                SupportStatus.CLOSED.value: frozenset(),
            },
            closed_statuses=frozenset({SupportStatus.CLOSED.value}),
            start_statuses=(SupportStatus.OPEN.value,),
            detail_url_name="support:case_detail",
            list_url_name="support:case_list",
            titled=True,
            # A support case has one beneficiary, who never changes (I1).
            max_applicants=1,
            tally_detail="support__concern_level",
            create_url_name="support:case_create",
            create_label=_("Create case"),
            create_choice=_("Support case"),
            order=30,
            # No regulator's floor: the charity sets its own period.
            retention_min_years=0,
            retention_default_years=6,
            colours={s.value: s.colour for s in SupportStatus},
            after_move=case_services.after_move,
            after_reopen=case_services.after_reopen,
        )
    )
    for value, label in EVENT_TYPES:
        events.register("case", value, label, FORMATTERS[value])
    for value, formatter in KERNEL_FORMATTERS.items():
        events.register_formatter(
            "case", value, formatter, variant=SupportKind.SUPPORT.value
        )
    events.register_types("contact", SupportContactEventType.choices)
    sections.register(
        sections.Section(
            page="contact.record",
            key="served_cases",
            template="support/_served_cases.html",
            provider=_served_cases,
            region="side",
            order=20,
            module="support",
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="support_cases",
            template="support/_dashboard_cases.html",
            provider=_my_cases,
            region="tiles",
            order=20,
            module="support",
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="support_stale",
            template="support/_dashboard_stale.html",
            provider=_stale_cases,
            region="tiles",
            order=15,
            module="support",
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="support_due",
            template="support/_dashboard_due.html",
            provider=_due,
            region="tiles",
            order=25,
            module="support",
        )
    )
