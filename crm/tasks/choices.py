"""Task status and priority (SPEC J1)."""

from typing import Literal

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.choices import Colour


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")

    @property
    def colour(self) -> str:
        """Return the badge colour of this status."""
        if self == TaskStatus.CANCELLED:
            return ""  # the plain grey badge
        return Colour.GREEN if self == TaskStatus.DONE else Colour.BLUE


# Each status's badge colour, looked up per row of the Tasks page: building
# the enum member and the list of values each time was 28 calls a row.
STATUS_COLOURS: dict[str, str] = {status.value: status.colour for status in TaskStatus}


class TaskPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class TaskCaseEventType(models.TextChoices):
    """The entry a task leaves in its case's history."""

    TASK_ADDED = "task_added", _("Task added")


class TaskContactEventType(models.TextChoices):
    """The entries a task leaves on its client's timeline."""

    TASK_CREATED = "task_created", _("Task added")
    TASK_COMPLETED = "task_completed", _("Task completed")


# The Tasks page's tabs (besides My follow-ups) and status filter.
TaskTab = Literal["mine", "today", "overdue", "all"]
TaskStatusFilter = Literal["open", "done", "all"]
TABS: tuple[TaskTab, ...] = ("mine", "today", "overdue", "all")
