"""Closing a support case, and what happens to its open work (SPEC I3, issue 14).

Closing asks what to do with the case's open tasks and planned support:
leave them open, mark them complete or cancel them. Each is changed through
its own service first (a closed case's tasks are read-only), so each change
lands in the history and the audit log.
"""

from django.db import transaction

from crm.cases import services as case_services
from crm.cases.models import Case
from crm.core.exceptions import ApplicationError
from crm.firms.models import Firm, User
from crm.support import selectors
from crm.support.choices import OpenWorkChoice, PlanStatus, SupportStatus
from crm.support.services.cases import check_support_case
from crm.support.services.plans import PlanData, plan_update
from crm.tasks import services as task_services

PLAN_STATUS_FOR = {
    OpenWorkChoice.COMPLETE: PlanStatus.COMPLETE,
    OpenWorkChoice.CANCEL: PlanStatus.CANCELLED,
}


def _settle_open_work(*, firm: Firm, actor: User, case: Case, choice: str) -> None:
    work = selectors.case_open_work(firm=firm, case=case)
    for task in work.tasks:
        if choice == OpenWorkChoice.COMPLETE:
            task_services.task_complete(firm=firm, actor=actor, task=task)
        else:
            task_services.task_cancel(firm=firm, actor=actor, task=task)
    for plan in work.plans:
        data = PlanData(
            description=plan.description,
            target_date=plan.target_date,
            duration_minutes=plan.duration_minutes,
            lead=plan.lead,
            status=PLAN_STATUS_FOR[OpenWorkChoice(choice)],
        )
        plan_update(firm=firm, actor=actor, plan=plan, data=data)


@transaction.atomic
def support_case_close(
    *,
    firm: Firm,
    actor: User,
    case: Case,
    reason: str = "",
    open_work: str = OpenWorkChoice.LEAVE,
) -> Case:
    """Close the case (I3): it stays, read-only, in the Closed tab.

    ``open_work`` says what happens to its open tasks and planned support
    first: left open (the default), completed or cancelled.
    """
    check_support_case(firm, case)
    if open_work not in OpenWorkChoice.values:
        raise ApplicationError(
            "Choose what to do with the open tasks and planned support.",
            "invalid",
            {"field": "open_work"},
        )
    if open_work != OpenWorkChoice.LEAVE:
        _settle_open_work(firm=firm, actor=actor, case=case, choice=open_work)
    # The kind's ``after_move`` hook ends the case's open period.
    return case_services.case_move(
        firm=firm, actor=actor, case=case, status=SupportStatus.CLOSED, reason=reason
    )
