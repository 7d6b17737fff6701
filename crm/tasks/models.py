"""Tasks: things a member must do, optionally about a contact or lead (J1)."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from crm.core.links import reverse_ids
from crm.core.models import FirmOwnedModel, scoped
from crm.tasks.choices import STATUS_COLOURS, TaskPriority, TaskStatus

MAX_MINUTES = 24 * 60


class Task(FirmOwnedModel):
    """A to-do with a due date and an assignee, linked to a contact or lead."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        "duration (minutes)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MINUTES)],
        help_text="Time the task should take, counted on the Workload page (I13).",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    priority = models.CharField(
        max_length=8, choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    status = models.CharField(
        max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    category = models.ForeignKey(
        "firms.TaskCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    lead = models.ForeignKey(
        "leads.Lead",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Task"]] = scoped(models.Manager["Task"])

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # The id last: "my tasks" is ordered by due date then id, so the
            # index gives the page's 25 rows in order, not every task due on
            # the first date sorted (144 of them for a busy adviser).
            models.Index(
                fields=["firm", "assignee", "status", "due_date", "id"],
                name="task_firm_assignee_due",
            ),
            models.Index(fields=["firm", "status", "due_date"], name="task_firm_due"),
            models.Index(
                fields=["firm", "contact", "status"], name="task_firm_contact"
            ),
            models.Index(fields=["firm", "lead", "status"], name="task_firm_lead"),
            models.Index(fields=["firm", "case", "status"], name="task_firm_case"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_ids("tasks:task_edit", task_id=self.pk)

    @property
    def status_colour(self) -> str:
        """Return the badge colour ``TaskStatus`` declares for the task's status."""
        return STATUS_COLOURS.get(self.status, "")
