"""Client needs and desired outcomes: add, remove, mark achieved (SPEC I4).

Every change appends a case event and an audit entry; a closed case is
read-only until it is reopened.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from crm.cases.models import Case
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.core.tenancy import ensure_same_firm
from crm.firms.models import Firm, User
from crm.support.choices import ItemKind, SupportEventType
from crm.support.models import SupportItem
from crm.support.services.cases import check_support_case

TEXT_MAX = 300
ADDED = {
    ItemKind.NEED: SupportEventType.NEED_ADDED,
    ItemKind.OUTCOME: SupportEventType.OUTCOME_ADDED,
}
REMOVED = {
    ItemKind.NEED: SupportEventType.NEED_REMOVED,
    ItemKind.OUTCOME: SupportEventType.OUTCOME_REMOVED,
}


def _check_item(firm: Firm, item: SupportItem) -> None:
    ensure_same_firm(firm, item)
    check_support_case(firm, item.case)


@transaction.atomic
def item_add(
    *, firm: Firm, actor: User, case: Case, kind: str, text: str
) -> SupportItem:
    """Add a client need or a desired outcome typed into the case's box."""
    check_support_case(firm, case)
    if kind not in ItemKind.values:
        raise ApplicationError("Choose a need or an outcome.", "invalid")
    text = " ".join(text.split())
    if not text:
        raise ApplicationError("Type something to add.", "required", {"field": "text"})
    if len(text) > TEXT_MAX:
        raise ApplicationError(
            f"Keep it under {TEXT_MAX} characters.", "too_long", {"field": "text"}
        )
    item = SupportItem(firm=firm, case=case, kind=kind, text=text, created_by=actor)
    item.full_clean()
    item.save()
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=ADDED[ItemKind(kind)],
        params={"text": text},
        verb=AuditVerb.CREATE,
        audit_obj=item,
        changes={"kind": [None, kind], "text": [None, text], "case": [None, case]},
    )
    return item


@transaction.atomic
def item_remove(*, firm: Firm, actor: User, item: SupportItem) -> None:
    """Remove a need or an outcome (its remove button); history keeps its text."""
    _check_item(firm, item)
    kind, text, case = ItemKind(item.kind), item.text, item.case
    events.record(
        firm=firm,
        actor=actor,
        subject=case,
        type=REMOVED[kind],
        params={"text": text},
        verb=AuditVerb.DELETE,
        audit_obj=item,
        changes={"kind": [kind.value, None], "text": [text, None]},
    )
    item.delete()


@transaction.atomic
def outcome_set_achieved(
    *, firm: Firm, actor: User, item: SupportItem, achieved_on: date | None
) -> SupportItem:
    """Mark a desired outcome achieved on a date, or not achieved (``None``)."""
    _check_item(firm, item)
    if item.kind != ItemKind.OUTCOME:
        raise ApplicationError("Only desired outcomes can be achieved.", "invalid")
    if achieved_on is not None and achieved_on > timezone.localdate():
        raise ApplicationError(
            "The date achieved can't be in the future.",
            "invalid",
            {"field": "achieved_on"},
        )
    old = item.achieved_on
    if old == achieved_on:
        return item
    item.achieved_on = achieved_on
    item.save(update_fields=["achieved_on"])
    events.record(
        firm=firm,
        actor=actor,
        subject=item.case,
        type=SupportEventType.OUTCOME_ACHIEVED
        if achieved_on
        else SupportEventType.OUTCOME_UNACHIEVED,
        params={"text": item.text, "achieved_on": str(achieved_on or "")},
        verb=AuditVerb.UPDATE,
        audit_obj=item,
        changes={"achieved_on": [old, achieved_on]},
    )
    return item
