"""The reports' filters: one FilterSet for the report page and its CSV."""

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
from crm.reports.selectors import ReportQuery


class ReportFilterForm(DateRangeFilterForm):
    """Checks across the report filters: the date range must not run backwards."""


class ReportFilterSet(ListFilterSet):
    """Filters of a report (L2): date range, adviser and introducer, all optional.

    ``introducer=False`` leaves the introducer out (support reports: support
    cases have none); ``dates`` labels what the range bounds.
    """

    date_from = DateFilter(label=_("From"))
    date_to = DateFilter(label=_("To"))
    owner = IdChoiceFilter(label=_("Adviser"))
    introducer = IdChoiceFilter(label=_("Introducer"))

    class Meta:
        form = ReportFilterForm

    def __init__(
        self, data: QueryDict | None, *, firm: Firm, introducer: bool = True
    ) -> None:
        super().__init__(data)
        if not introducer or not firm.has_advice:
            del self.filters["introducer"]
        else:
            self.set_choices(
                "introducer",
                [
                    ("", _("Any introducer")),
                    *firm_selectors.introducer_choices(firm=firm),
                ],
            )
        owner_label = _("Adviser") if firm.has_advice else _("Case manager")
        self.filters["owner"].label = owner_label
        self.set_choices(
            "owner",
            [("", _("Anyone")), *firm_selectors.member_choices(firm=firm)],
        )

    def query(self) -> ReportQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return ReportQuery(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            owner_id=data.get("owner"),
            introducer_id=data.get("introducer"),
        )
