"""The Income page's filters: one FilterSet for the page and its CSV (L3)."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.core.filters import (
    DateFilter,
    DateRangeFilterForm,
    IdChoiceFilter,
    ListFilterSet,
)
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.income.selectors import IncomeQuery


class IncomeFilterSet(ListFilterSet):
    """Filters of the Income page (L3): dates, adviser and introducer."""

    date_from = DateFilter(label=_("From"))
    date_to = DateFilter(label=_("To"))
    owner = IdChoiceFilter(label=_("Adviser"))
    introducer = IdChoiceFilter(label=_("Introducer"))

    class Meta:
        form = DateRangeFilterForm

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        super().__init__(data)
        self.set_choices(
            "owner", [("", _("Anyone")), *firm_selectors.member_choices(firm=firm)]
        )
        self.set_choices(
            "introducer",
            [("", _("Any introducer")), *firm_selectors.introducer_choices(firm=firm)],
        )

    def query(self) -> IncomeQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return IncomeQuery(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            owner_id=data.get("owner"),
            introducer_id=data.get("introducer"),
        )
