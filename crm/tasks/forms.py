"""Forms for the Tasks page filters and for adding and editing a task (J1)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.firms.models import TaskCategory, User
from crm.tasks.choices import TaskPriority
from crm.tasks.models import Task


class MemberChoiceField(forms.ModelChoiceField[User]):
    """A member picker that shows names rather than e-mail addresses."""

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class TaskForm(forms.Form):
    """A task's details; the contact or lead it is about is fixed by the page.

    ``read_only`` disables every field, for members who may look but not edit.
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_(
            "Optional: how long it should take (the Workload page adds it up)."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    assignee = MemberChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=TaskPriority.choices, initial=TaskPriority.NORMAL
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=TaskCategory.objects.none(),
        required=False,
        empty_label=_("No category"),
    )

    def __init__(
        self,
        *args: Any,
        members: QuerySet[User],
        categories: QuerySet[TaskCategory],
        read_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]  # ModelChoiceField
        self.read_only = read_only
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def initial_for(cls, task: Task) -> dict[str, Any]:
        """Return the form's initial data from ``task``."""
        return {
            "title": task.title,
            "description": task.description,
            "due_date": task.due_date,
            "duration_minutes": task.duration_minutes,
            "assignee": task.assignee_id,
            "priority": task.priority,
            "category": task.category_id,
        }
