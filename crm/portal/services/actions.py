"""The action log's writes: request, invite, remind, cancel, review (H2, E8)."""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.permissions import Perm
from crm.core.principals import Principal
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.portal.choices import (
    UPLOAD_KINDS,
    ActionKind,
    ActionStatus,
    PortalCaseEventType,
)
from crm.portal.models import PortalAccount, RequestedAction
from crm.portal.services.mail import send_action_mail

REASON_MAX = 300


def _check_perm(principal: Principal) -> None:
    if not principal.has_perm(Perm.ACTION_LOG):
        raise ApplicationError(
            "You do not have the action log permission.", "forbidden"
        )


def _labels(kinds: Sequence[str]) -> list[str]:
    return [str(ActionKind(k).label) for k in kinds]


def _record(
    *,
    firm: Firm,
    actor: User | None,
    action: RequestedAction,
    type: str,
    verb: AuditVerb = AuditVerb.UPDATE,
    changes: dict[str, list[object]] | None = None,
    **params: object,
) -> None:
    """Write the case history entry and audit row for one action."""
    events.record(
        firm=firm,
        actor=actor,
        subject=action.case,
        type=type,
        params={
            "action_id": action.pk,
            "client": str(action.contact),
            "kind": action.get_kind_display(),
            **params,
        },
        verb=verb,
        audit_obj=action,
        changes=changes or {"status": [None, action.status]},
    )


def _account(firm: Firm, contact: Contact) -> PortalAccount | None:
    return PortalAccount.objects.filter(
        firm=firm, contact=contact, is_active=True
    ).first()


@transaction.atomic
def clients_invite(
    *,
    firm: Firm,
    actor: User,
    principal: Principal,
    case: Case,
    wanted: Mapping[int, Sequence[str]],
) -> list[tuple[Contact, list[RequestedAction]]]:
    """Request actions from the case's clients and e-mail each of them (E8).

    ``wanted`` maps a client's contact id to the action kinds ticked for
    them. An action the client already has open on the case is not asked
    twice, but the e-mail lists it again. Every client ticked must have an
    e-mail address.
    """
    _check_perm(principal)
    ensure_same_firm(firm, case)
    clients = {a.contact_id: a.contact for a in case.applicants.all()}
    chosen = {
        cid: [k for k in ActionKind.values if k in kinds]
        for cid, kinds in wanted.items()
        if cid in clients and kinds
    }
    if not chosen:
        raise ApplicationError(
            "Tick at least one action for a client.", "invalid", {"field": "actions"}
        )
    missing = [str(clients[cid]) for cid in chosen if not clients[cid].email.strip()]
    if missing:
        raise ApplicationError(
            f"{', '.join(missing)} has no e-mail address. Add one on the client "
            "record first.",
            "no_email",
            {"field": "actions"},
        )
    sent = []
    for cid, kinds in chosen.items():
        contact = clients[cid]
        open_actions = {
            a.kind: a
            for a in RequestedAction.objects.open().filter(
                firm=firm, case=case, contact=contact
            )
        }
        actions = []
        for kind in kinds:
            action = open_actions.get(kind)
            if action is None:
                action = RequestedAction(
                    firm=firm, case=case, contact=contact, kind=kind, requested_by=actor
                )
                action.full_clean()
                action.save()
                _record(
                    firm=firm,
                    actor=actor,
                    action=action,
                    type=PortalCaseEventType.ACTIONS_REQUESTED,
                    verb=AuditVerb.CREATE,
                )
            actions.append(action)
        invitation = send_action_mail(
            firm=firm,
            actor=actor,
            case=case,
            contact=contact,
            actions=actions,
            account=_account(firm, contact),
        )
        events.record(
            firm=firm,
            actor=actor,
            subject=case,
            type=PortalCaseEventType.INVITATION_SENT,
            params={"client": str(contact), "kinds": _labels(kinds)},
            verb=AuditVerb.INVITE,
            audit_obj=invitation or contact,
            changes={"email": [None, contact.email], "actions": [None, _labels(kinds)]},
        )
        sent.append((contact, actions))
    return sent


def _check_action(firm: Firm, principal: Principal, action: RequestedAction) -> None:
    _check_perm(principal)
    ensure_same_firm(firm, action)
    if not action.is_open:
        raise ApplicationError(
            f"This action is already {action.get_status_display().lower()}.", "closed"
        )


@transaction.atomic
def action_remind(
    *, firm: Firm, actor: User, principal: Principal, action: RequestedAction
) -> RequestedAction:
    """E-mail the client a reminder of an open action (a fresh link if needed)."""
    _check_action(firm, principal, action)
    contact = action.contact
    if not contact.email.strip():
        raise ApplicationError(f"{contact} has no e-mail address.", "no_email")
    action.reminded_at = timezone.now()
    action.save(update_fields=["reminded_at", "updated_at"])
    send_action_mail(
        firm=firm,
        actor=actor,
        case=action.case,
        contact=contact,
        actions=[action],
        account=_account(firm, contact),
        reminder=True,
    )
    _record(
        firm=firm,
        actor=actor,
        action=action,
        type=PortalCaseEventType.ACTION_REMINDED,
        changes={"reminded_at": [None, action.reminded_at.isoformat()]},
    )
    return action


@transaction.atomic
def action_cancel(
    *, firm: Firm, actor: User, principal: Principal, action: RequestedAction
) -> RequestedAction:
    """Cancel an open action; the client no longer sees it."""
    _check_action(firm, principal, action)
    old = action.status
    action.status = ActionStatus.CANCELLED
    action.save(update_fields=["status", "updated_at"])
    _record(
        firm=firm,
        actor=actor,
        action=action,
        type=PortalCaseEventType.ACTION_CANCELLED,
        changes={"status": [old, action.status]},
    )
    return action


@transaction.atomic
def action_review(
    *,
    firm: Firm,
    actor: User,
    principal: Principal,
    action: RequestedAction,
    approve: bool,
    reason: str = "",
) -> RequestedAction:
    """Approve the client's uploads (Done) or reject them with a reason (H3).

    A rejection sends the action back to Requested with the reason, which the
    client sees next to the upload form.
    """
    _check_perm(principal)
    ensure_same_firm(firm, action)
    if not action.can_review():
        raise ApplicationError("There is nothing to review on this action.", "closed")
    reason = " ".join(reason.split())
    if not approve and not reason:
        raise ApplicationError(
            "Say why the documents are rejected; the client will see it.",
            "required",
            {"field": "reason"},
        )
    if len(reason) > REASON_MAX:
        raise ApplicationError(
            f"Keep the reason under {REASON_MAX} characters.",
            "invalid",
            {"field": "reason"},
        )
    old = action.status
    action.reviewed_by = actor
    if approve:
        action.status = ActionStatus.DONE
        action.completed_at = timezone.now()
        action.review_reason = ""
    else:
        action.status = ActionStatus.REQUESTED
        action.review_reason = reason
    action.save(
        update_fields=[
            "status",
            "completed_at",
            "review_reason",
            "reviewed_by",
            "updated_at",
        ]
    )
    identity = action.kind == ActionKind.IDENTITY
    if approve:
        type = (
            PortalCaseEventType.IDENTITY_APPROVED
            if identity
            else PortalCaseEventType.ACTION_DONE
        )
    else:
        type = (
            PortalCaseEventType.IDENTITY_REJECTED
            if identity
            else PortalCaseEventType.DOCUMENTS_REJECTED
        )
    _record(
        firm=firm,
        actor=actor,
        action=action,
        type=type,
        changes={"status": [old, action.status], "reason": [None, reason]},
        reason=reason,
    )
    return action


__all__ = [
    "UPLOAD_KINDS",
    "action_cancel",
    "action_remind",
    "action_review",
    "clients_invite",
]
