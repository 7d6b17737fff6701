"""The complaints register's tab and filters: one FilterSet for page and CSV."""

from typing import cast

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.complaints import selectors
from crm.complaints.choices import ComplaintCategory
from crm.complaints.selectors import ComplaintListQuery, ComplaintTab
from crm.core.filters import (
    ChoiceFilter,
    DateFilter,
    DateRangeFilterForm,
    IdChoiceFilter,
    ListFilterSet,
)
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm


class ComplaintFilterForm(DateRangeFilterForm):
    """Checks across the filters: the date range must not run backwards."""


class ComplaintFilterSet(ListFilterSet):
    """Filters of the register (M5): category, handler, received between."""

    tabs = selectors.TABS
    sorts = selectors.SORTS
    default_sort = selectors.DEFAULT_SORT

    category = ChoiceFilter(
        label=_("Category"),
        choices=[("", _("Any category")), *ComplaintCategory.choices],
    )
    handler = IdChoiceFilter(label=_("Handler"))
    date_from = DateFilter(label=_("Received from"))
    date_to = DateFilter(label=_("Received to"))

    class Meta:
        form = ComplaintFilterForm

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        super().__init__(data)
        self.set_choices(
            "handler", [("", _("Anyone")), *firm_selectors.member_choices(firm=firm)]
        )

    def query(self) -> ComplaintListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return ComplaintListQuery(
            tab=cast(ComplaintTab, self.tab),
            category=data.get("category") or "",
            handler_id=data.get("handler"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sort=self.sort,
        )
