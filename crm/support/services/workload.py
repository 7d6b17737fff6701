"""Reassigning support cases in bulk from the Workload page (SPEC I13)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.cases import services as case_services
from crm.cases.models import Case
from crm.cases.tally import services as tally
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm, User
from crm.support.choices import SafeguardingEventType, SupportKind
from crm.support.services.cases import REASON_MAX

MAX_CASES = 200


@transaction.atomic
def cases_reassign(
    *,
    firm: Firm,
    actor: User,
    case_ids: list[int],
    case_manager: User | None,
    reason: str = "",
) -> list[Case]:
    """Give the chosen open support cases to another case manager; return the moved.

    All or nothing, in one transaction: an id that is not one of the firm's
    open support cases refuses the lot. Each moved case gets its own history
    entry and audit row; a case the new manager already has is left alone.
    """
    ids = sorted(set(case_ids))
    if not ids:
        raise ApplicationError(
            "Choose at least one case.", "required", {"field": "cases"}
        )
    if len(ids) > MAX_CASES:
        raise ApplicationError(
            f"Choose at most {MAX_CASES} cases at a time.",
            "invalid",
            {"field": "cases"},
        )
    if case_manager is None:
        raise ApplicationError(
            "Choose the case manager to give the cases to.",
            "required",
            {"field": "case_manager"},
        )
    if not firm_selectors.may_own(firm=firm, user_id=case_manager.pk):
        raise ApplicationError(
            "Choose a case manager who is an active member of this firm and may "
            "edit cases.",
            "invalid",
            {"field": "case_manager"},
        )
    cases = list(
        Case.objects.select_for_update(of=("self",))
        .filter(firm=firm, pk__in=ids, kind=SupportKind.SUPPORT, is_open=True)
        .select_related("owner", "support")
        .order_by("pk")
    )
    if len(cases) != len(ids):
        raise ApplicationError(
            "Some of the chosen cases are closed or no longer in this firm; "
            "reload the page and choose again.",
            "invalid",
            {"field": "cases"},
        )
    reason = reason.strip()[:REASON_MAX]
    moved = [c for c in cases if c.owner_id != case_manager.pk]
    if not moved:
        return []
    counted = [tally.state_of(case) for case in moved]
    Case.objects.filter(firm=firm, pk__in=[c.pk for c in moved]).update(
        owner=case_manager,
        owner_sort_name=case_services.owner_sort_name(case_manager),
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    for case in moved:
        before = case.owner
        case.owner = case_manager
        events.record(
            firm=firm,
            actor=actor,
            subject=case,
            type=SafeguardingEventType.REASSIGNED,
            params={
                "from": str(before) if before else "",
                "to": str(case_manager),
                "reason": reason,
                "bulk": True,
            },
            verb=AuditVerb.UPDATE,
            changes={"owner": [before, case_manager]},
        )
    tally.cases_moved(
        firm_id=firm.pk,
        changes=[
            (state, tally.state_of(case))
            for state, case in zip(counted, moved, strict=True)
        ],
    )
    return moved
