"""What the tasks app adds to the registries (called from ``ready()``)."""

from typing import Any

from crm.core import events
from crm.tasks.choices import TaskCaseEventType, TaskContactEventType


def _task_added(params: dict[str, Any]) -> str:
    return f"Task added: {params.get('title')}"


def register() -> None:
    """Register the entries a task leaves in case histories and client timelines."""
    events.register(
        "case",
        TaskCaseEventType.TASK_ADDED,
        TaskCaseEventType.TASK_ADDED.label,
        _task_added,
    )
    events.register_types("contact", TaskContactEventType.choices)
