"""The Tasks page's tab and filters: one FilterSet for the page and its fragments."""

from typing import cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.core.filters import ChoiceFilter, IdChoiceFilter, ListFilterSet
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.tasks import selectors
from crm.tasks.selectors import TaskListQuery, TaskStatusFilter, TaskTab

STATUS_CHOICES = [("open", _("Open")), ("done", _("Done")), ("all", _("Open and done"))]
DEFAULT_STATUS = "open"


class TaskFilterSet(ListFilterSet):
    """Filters of the Tasks page (J1); every filter is optional.

    My tasks does not offer the assignee filter and Overdue (always open
    tasks) not the status filter; a value given for them is kept, hidden, so
    the other tabs still apply it.
    """

    tabs = (*selectors.TABS, "follow_ups")

    assignee = IdChoiceFilter(label=_("Assigned to"))
    category = IdChoiceFilter(label=_("Category"))
    status = ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES)

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        super().__init__(data)
        self.set_choices(
            "assignee", [("", _("Anyone")), *firm_selectors.member_choices(firm=firm)]
        )
        categories = firm_selectors.task_category_filter_choices(firm=firm)
        self.set_choices("category", [("", _("Any category")), *categories])
        hidden = {"mine": "assignee", "overdue": "status"}.get(self.tab)
        if hidden:
            self.filters[hidden].extra["widget"] = forms.HiddenInput

    @property
    def is_filtered(self) -> bool:
        """Return True if a filter the open tab applies narrows it."""
        query = self.query()
        return (
            (query.assignee_id is not None and query.tab != "mine")
            or query.category_id is not None
            or (query.status != DEFAULT_STATUS and query.tab != "overdue")
        )

    def query(self) -> TaskListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        # My follow-ups lists no tasks; its tab counts read the other tabs' query.
        tab = self.tab if self.tab in selectors.TABS else "mine"
        return TaskListQuery(
            tab=cast(TaskTab, tab),
            assignee_id=data.get("assignee"),
            category_id=data.get("category"),
            status=cast(TaskStatusFilter, data.get("status") or DEFAULT_STATUS),
        )
