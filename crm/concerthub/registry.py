"""What the Concert Hub app adds to the registries (called from ``ready()``)."""

from typing import Any

from django.urls import reverse

from crm.advice import readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind.selectors import CaseFacts
from crm.advice.readiness import Blocker
from crm.cases import locks
from crm.cases.models import Case
from crm.concerthub import delivery, diff, selectors, troubleshoot
from crm.concerthub.choices import (
    LOCKING_STATUSES,
    SubmissionEventType,
    SubmissionStatus,
)
from crm.concerthub.services import TOPIC
from crm.contacts.models import Contact
from crm.core import events, nav, sections
from crm.core.outbox.registry import register_handler
from crm.core.permissions import Perm
from crm.core.principals import Principal
from crm.firms.models import Firm

SECTION_TEMPLATE = "concerthub/_case_section.html"


def network_blockers(*, firm: Firm, case: Case, facts: CaseFacts) -> list[Blocker]:
    """Return the network prerequisites the case lacks (G4)."""
    if case.kind != AdviceKind.PROTECTION:
        return []
    settings_url = reverse("concerthub:network")
    title = "Concert Hub network"
    found = []
    if selectors.network_firm_get(firm=firm) is None:
        found.append(
            Blocker(
                title,
                "firm_id",
                "The firm's network Firm ID",
                f"{settings_url}#id_firm_id",
            )
        )
    if case.owner_id is None:
        edit = reverse("advice:case_edit", kwargs={"case_id": case.pk})
        found.append(Blocker(title, "owner", "A case adviser", f"{edit}#id_owner"))
    elif selectors.network_adviser_get(firm=firm, user_id=case.owner_id) is None:
        name = case.owner.full_name if case.owner else "The adviser"
        found.append(
            Blocker(
                title,
                "adviser_uid",
                f"{name}'s network Adviser UID",
                f"{settings_url}#adviser-{case.owner_id}",
            )
        )
    return found


def lock_reason(firm: Firm, case: Case) -> str:
    """Return why the case's submitted data is locked, or ""."""
    if case.kind != AdviceKind.PROTECTION:
        return ""
    latest = selectors.latest_submission(firm=firm, case=case)
    if latest is None or latest.status not in LOCKING_STATUSES:
        return ""
    if latest.status == SubmissionStatus.RECEIVED:
        return (
            f"Concert Hub has received this case ({latest}), so what was sent is "
            "locked: use Amend and resubmit to change it."
        )
    return (
        "This case is being sent to Concert Hub, so what is sent is locked "
        "until Concert Hub answers."
    )


def section_context(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's submissions, fixes and pending changes for its page."""
    found = selectors.case_submissions(firm=firm, case=case)
    current = found.current
    context: dict[str, Any] = {
        "ch": found,
        "ch_can_send": principal is not None
        and principal.has_perm(Perm.SUBMIT_CONCERT_HUB),
        "ch_fixes": [],
        "ch_changes": [],
    }
    if current is not None and current.status == SubmissionStatus.REJECTED:
        context["ch_fixes"] = troubleshoot.fixes(
            case=case, refs=current.refs, errors=current.errors
        )
    if current is not None and current.status == SubmissionStatus.AMENDING:
        context["ch_changes"] = diff.pending_changes(
            firm=firm, case=case, amending=current
        )
    return context


def _line(type: SubmissionEventType) -> events.Formatter:
    def line(params: dict[str, Any]) -> events.HistoryLine:
        title = str(type.label)
        if params.get("reference"):
            title = f"{title}: {params['reference']}"
        elif params.get("amends"):
            title = f"{title} ({params['amends']})"
        elif params.get("number"):
            title = f"{title}: submission {params['number']}"
        if params.get("errors"):
            count = int(params["errors"])
            title = f"{title} ({count} error{'s' if count != 1 else ''} to fix)"
        return events.HistoryLine(title, reason=str(params.get("reason", "")))

    return line


DASHBOARD_ROWS = 5


def _needing_attention(
    *, firm: Firm, principal: Principal, **_page: Any
) -> dict[str, Any]:
    """Return the submissions a member must act on, for the dashboard (L1)."""
    return {
        "attention_submissions": selectors.attention_list(
            firm=firm, principal=principal, limit=DASHBOARD_ROWS
        )
    }


def register() -> None:
    """Register the handler, history, blockers, lock, case section and menus."""
    register_handler(TOPIC, delivery.deliver, on_outcomes=delivery.on_outcomes)
    for type in SubmissionEventType:
        events.register("case", type, type.label, _line(type))
    readiness.register("concert_hub_network", network_blockers, order=30)
    locks.register("concert_hub", lock_reason)
    sections.register(
        sections.Section(
            page="case.page",
            key="concert_hub",
            template=SECTION_TEMPLATE,
            provider=section_context,
            region="main",
            order=20,
            module="advice",
            kinds=(AdviceKind.PROTECTION.value,),
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="submissions_attention",
            template="concerthub/_dashboard_attention.html",
            provider=_needing_attention,
            region="tiles",
            order=40,
            module="advice",
        )
    )
    nav.register(
        nav.MAIN,
        nav.NavItem(
            "Submissions",
            "concerthub:submission_list",
            order=35,
            module="advice",
            prefix="/submissions/",
        ),
    )
    nav.register(
        nav.SETTINGS,
        nav.NavItem(
            "Concert Hub",
            "concerthub:network",
            order=45,
            perm=Perm.MANAGE_FIRM,
            module="advice",
        ),
    )
