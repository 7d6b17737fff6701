"""What the tasks app adds to the registries (called from ``ready()``)."""

from datetime import date
from typing import Any

from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.leads.models import Lead
from crm.tasks import selectors
from crm.tasks.choices import TaskCaseEventType, TaskContactEventType

SECTION_LIMIT = 10
# What the client record's list shows of each task (``crm.tasks.record_rows``):
# the case's and the assignee's other columns were most of the Python cost of
# reading the rows.
RECORD_FIELDS = (
    "firm_id",
    "title",
    "status",
    "due_date",
    "duration_minutes",
    "lead_id",
    "case__kind",
    "case__reference",
    "assignee__first_name",
    "assignee__last_name",
    "category__name",
)


def _contact_tasks(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    found = selectors.contact_task_rows(
        firm=firm,
        contact=contact,
        principal=principal,
        limit=SECTION_LIMIT,
        fields=RECORD_FIELDS,
    )
    return {"tasks": found}


def _lead_tasks(
    *, firm: Firm, lead: Lead, principal: Principal | None
) -> dict[str, Any]:
    return {
        "tasks": list(
            selectors.task_list_for(firm=firm, principal=principal, lead=lead)[
                :SECTION_LIMIT
            ]
        )
    }


def _task_added(params: dict[str, Any]) -> str:
    return f"Task added: {params.get('title')}"


def _case_tasks(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's own tasks for its page (D1, J1)."""
    found = selectors.case_task_rows(
        firm=firm, case=case, principal=principal, limit=SECTION_LIMIT
    )
    for task in found:
        task.case = case  # the page's own case: not joined again
    return {"case_tasks": found}


DASHBOARD_ROWS = 8


def _my_tasks(
    *, firm: Firm, user: User, principal: Principal, today: date
) -> dict[str, Any]:
    """Return the member's open tasks and their counts for the dashboard (J1)."""
    mine = selectors.task_list(
        firm=firm,
        tab="mine",
        user=user,
        principal=principal,
        status="open",
        today=today,
    )
    return {
        "tasks": list(mine[:DASHBOARD_ROWS]),
        "task_counts": selectors.task_counts(
            firm=firm, user=user, principal=principal, today=today
        ),
    }


def register() -> None:
    """Register the entries a task leaves in case histories and client timelines."""
    events.register(
        "case",
        TaskCaseEventType.TASK_ADDED,
        TaskCaseEventType.TASK_ADDED.label,
        _task_added,
    )
    events.register_types("contact", TaskContactEventType.choices)
    sections.register(
        sections.Section(
            page="contact.record",
            key="tasks",
            template="tasks/_for_contact.html",
            provider=_contact_tasks,
            region="side",
            order=40,
        )
    )
    sections.register(
        sections.Section(
            page="lead.page",
            key="tasks",
            template="tasks/_for_lead.html",
            provider=_lead_tasks,
            region="pair",
            order=40,
        )
    )
    sections.register(
        sections.Section(
            page="case.page",
            key="tasks",
            template="tasks/_for_case.html",
            provider=_case_tasks,
            region="pair",
            order=40,
        )
    )
    sections.register(
        sections.Section(
            page="dashboard",
            key="tasks",
            template="tasks/_dashboard_tasks.html",
            provider=_my_tasks,
            region="tiles",
            order=30,
        )
    )
