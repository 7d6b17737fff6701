"""What the portal registers: its principal, history entries and page sections.

The advice case page and the New Case wizard's last page are owned by
``crm.advice``, which does not import the portal: the portal fills their
``case.page`` and ``wizard.done`` sections here.
"""

from typing import Any

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events, principals, sections
from crm.core.permissions import Perm
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.portal import selectors
from crm.portal.choices import INVITE_KINDS, ActionKind, PortalCaseEventType
from crm.portal.principals import resolve_client
from crm.portal.stages import register_stages


def _line(params: dict[str, Any], verb: str) -> str:
    kind = params.get("kind") or ", ".join(params.get("kinds", []))
    line = f"{kind} {verb} {params.get('client', '')}".strip()
    if params.get("reason"):
        line += f": {params['reason']}"
    return line


FORMATTERS = {
    PortalCaseEventType.ACTIONS_REQUESTED: lambda p: _line(p, "requested from"),
    PortalCaseEventType.INVITATION_SENT: lambda p: (
        f"Portal e-mail sent to {p.get('client', '')}: {', '.join(p.get('kinds', []))}"
    ),
    PortalCaseEventType.ACCOUNT_CREATED: lambda p: (
        f"{p.get('client', '')} set up their client portal account"
    ),
    PortalCaseEventType.ACTION_REMINDED: lambda p: _line(p, "reminder sent to"),
    PortalCaseEventType.ACTION_CANCELLED: lambda p: _line(p, "cancelled for"),
    PortalCaseEventType.ACTION_UPLOADED: lambda p: _line(p, "documents uploaded by"),
    PortalCaseEventType.ACTION_STARTED: lambda p: _line(p, "started by"),
    PortalCaseEventType.FACT_FIND_FINISHED: lambda p: _line(p, "finished by"),
    PortalCaseEventType.ACTION_DONE: lambda p: _line(p, "done for"),
    PortalCaseEventType.IDENTITY_APPROVED: lambda p: _line(p, "approved for"),
    PortalCaseEventType.IDENTITY_REJECTED: lambda p: _line(p, "rejected for"),
    PortalCaseEventType.DOCUMENTS_REJECTED: lambda p: _line(p, "rejected for"),
    PortalCaseEventType.CONSENT_CONFIRMED: lambda p: (
        f"Credit consent confirmed by {p.get('client', '')} "
        f"(text version {p.get('version', '')})"
    ),
}


def _invite_clients(case: Case) -> list[Contact]:
    return [a.contact for a in case.applicants.all()]


def _action_log(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's action log, grouped by client, for the case page."""
    clients = _invite_clients(case)
    actions = selectors.action_list_for_case(firm=firm, case=case)
    accounts = selectors.accounts_for(firm=firm, contacts=clients)
    can_manage = principal is not None and principal.has_perm(Perm.ACTION_LOG)
    return {
        "action_log": {
            "clients": [
                {
                    "contact": c,
                    "account": accounts.get(c.pk),
                    "actions": [a for a in actions if a.contact_id == c.pk],
                }
                for c in clients
            ],
            "can_manage": can_manage,
            "kinds": ActionKind.choices,
            "ticked": (),
        }
    }


def _invite_step(
    *, firm: Firm, case: Case, principal: Principal | None, **_: Any
) -> dict[str, Any]:
    """Offer the invite step to a member with the action log permission (E8)."""
    if principal is None or not principal.has_perm(Perm.ACTION_LOG):
        return {}
    return {
        "confirmation_replaced": True,
        "invite_step": {
            "clients": [{"contact": c} for c in _invite_clients(case)],
            "kinds": [(k.value, k.label) for k in INVITE_KINDS],
            "ticked": (),
        },
    }


ADVICE_KINDS = (AdviceKind.MORTGAGE.value, AdviceKind.PROTECTION.value)


def register() -> None:
    """Register the client resolver, history entries, sections and trackers."""
    principals.register_resolver(resolve_client)
    for value, label in PortalCaseEventType.choices:
        events.register("case", value, label, FORMATTERS[PortalCaseEventType(value)])
    sections.register(
        sections.Section(
            page="case.page",
            key="action_log",
            template="portal/staff/_action_log.html",
            provider=_action_log,
            region="wide",
            order=20,
            module="advice",
            kinds=ADVICE_KINDS,
        )
    )
    sections.register(
        sections.Section(
            page="wizard.done",
            key="invite",
            template="portal/staff/_invite_step.html",
            provider=_invite_step,
            region="main",
            order=10,
            module="advice",
        )
    )
    register_stages()
