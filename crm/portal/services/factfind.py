"""The client fills in their own Fact Find in the portal (SPEC F4, H3).

The writes go through the Fact Find's own services with ``source="client"``,
so the case history marks them as client-entered. The first save moves the
action from Requested to In Progress; "I've finished" marks it Done once the
client's sections are complete. Every status change is a case event.
"""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from crm.advice import completeness
from crm.advice.factfind import services as ff_services
from crm.advice.factfind.choices import ChangeSource
from crm.advice.factfind.models import FactFind
from crm.advice.factfind.selectors import fact_find_list
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.portal.choices import ActionStatus, PortalCaseEventType
from crm.portal.models import PortalAccount, RequestedAction


def _check(account: PortalAccount, action: RequestedAction) -> None:
    if action.firm_id != account.firm_id or action.contact_id != account.contact_id:
        msg = "That action is not this client's."
        raise AssertionError(msg)
    action.contact = account.contact  # the same row: its name needs no query
    if not action.can_fill_fact_find():
        raise ApplicationError(
            "Your Fact Find is already with your adviser. If something has "
            "changed, please tell them.",
            "closed",
        )


def _move(
    account: PortalAccount, action: RequestedAction, status: str, type: str
) -> None:
    old = action.status
    action.status = status
    fields = ["status", "updated_at"]
    if status == ActionStatus.DONE:
        action.completed_at = timezone.now()
        fields.append("completed_at")
    action.save(update_fields=fields)
    events.record(
        firm=account.firm,
        actor=None,
        subject=action.case,
        type=type,
        params={
            "action_id": action.pk,
            "client": str(account.contact),
            "kind": action.get_kind_display(),
        },
        verb=AuditVerb.UPDATE,
        audit_obj=action,
        changes={"status": [old, status]},
    )


def _started(account: PortalAccount, action: RequestedAction) -> None:
    if action.status == ActionStatus.REQUESTED:
        _move(
            account,
            action,
            ActionStatus.IN_PROGRESS,
            PortalCaseEventType.ACTION_STARTED,
        )


def _locked(action: RequestedAction) -> RequestedAction:
    """Return the action re-read under a row lock (two tabs saving at once)."""
    locked = RequestedAction.objects.select_for_update().get(
        firm_id=action.firm_id, pk=action.pk
    )
    action.status = locked.status
    return action


@transaction.atomic
def fact_find_save(
    *,
    account: PortalAccount,
    action: RequestedAction,
    section: str,
    data: dict[str, Any],
) -> FactFind:
    """Save one section of the client's own Fact Find from the portal."""
    _check(account, _locked(action))
    fact_find = ff_services.fact_find_update(
        firm=account.firm,
        actor=None,
        contact=account.contact,
        case=action.case,
        section=section,
        data=data,
        source=ChangeSource.CLIENT,
    )
    _started(account, action)
    return fact_find


@transaction.atomic
def fact_find_row_add(
    *,
    account: PortalAccount,
    action: RequestedAction,
    section: str,
    data: dict[str, Any],
) -> models.Model:
    """Add an address, commitment or existing policy to the client's Fact Find."""
    _check(account, _locked(action))
    row = ff_services.fact_find_row_add(
        firm=account.firm,
        actor=None,
        contact=account.contact,
        case=action.case,
        section=section,
        data=data,
        source=ChangeSource.CLIENT,
    )
    _started(account, action)
    return row


@transaction.atomic
def fact_find_row_remove(
    *, account: PortalAccount, action: RequestedAction, section: str, row_id: int
) -> models.Model:
    """Remove one of the client's own addresses, commitments or policies."""
    _check(account, _locked(action))
    row = ff_services.fact_find_row_remove(
        firm=account.firm,
        actor=None,
        contact=account.contact,
        case=action.case,
        section=section,
        row_id=row_id,
        source=ChangeSource.CLIENT,
    )
    _started(account, action)
    return row


def fact_find_gaps(kind: str, fact_find: FactFind) -> dict[str, list[str]]:
    """Return, per section of a case of ``kind``, the labels of what is missing."""
    gaps = {}
    for section in completeness.fact_find_sections(kind):
        missing = completeness.fact_find_missing(kind, section, fact_find)
        if missing:
            gaps[section] = [r.label for r in missing]
    return gaps


@transaction.atomic
def fact_find_finish(*, account: PortalAccount, action: RequestedAction) -> None:
    """Mark the client's Fact Find action Done once their sections are complete.

    Refused with ``extra["gaps"]`` (section -> missing labels) otherwise.
    """
    _check(account, _locked(action))
    found = fact_find_list(firm=account.firm, contact_ids=[account.contact_id])
    fact_find = found[0] if found else FactFind(firm=account.firm)
    gaps = fact_find_gaps(action.case.kind, fact_find)
    if gaps:
        raise ApplicationError(
            "Some answers are still needed before you can finish.",
            "incomplete",
            {"gaps": gaps},
        )
    _move(account, action, ActionStatus.DONE, PortalCaseEventType.FACT_FIND_FINISHED)
