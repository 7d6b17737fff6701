"""The Leads list's filters: one FilterSet, parsed once into a typed query."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.core.filters import ChoiceFilter, IdChoiceFilter, ListFilterSet, SearchFilter
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.leads import selectors
from crm.leads.choices import LeadSource, LeadStatus

STATUS_FILTERS = [
    ("", _("Any status")),
    ("open", _("Open leads")),
    *LeadStatus.choices,
]
FOLLOW_UP_CHOICES = [
    ("", _("Any")),
    ("due", _("Due today")),
    ("overdue", _("Overdue")),
]


class LeadFilterSet(ListFilterSet):
    """Filters of the Leads list (C2); every filter is optional."""

    sorts = frozenset(selectors.LEAD_SORTS)
    default_sort = selectors.DEFAULT_SORT

    q = SearchFilter(label=_("Search clients"), placeholder=_("Name or e-mail"))
    status = ChoiceFilter(label=_("Status"), choices=STATUS_FILTERS)
    owner = IdChoiceFilter(label=_("Adviser"))
    source = ChoiceFilter(
        label=_("Source"), choices=[("", _("Any source")), *LeadSource.choices]
    )
    introducer = IdChoiceFilter(label=_("Introducer"))
    follow_up = ChoiceFilter(label=_("Follow-up"), choices=FOLLOW_UP_CHOICES)

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        super().__init__(data)
        self.set_choices(
            "owner",
            [("", _("Any adviser")), *firm_selectors.member_choices(firm=firm)],
        )
        self.set_choices(
            "introducer",
            [("", _("Any introducer")), *firm_selectors.introducer_choices(firm=firm)],
        )

    def query(self) -> selectors.LeadListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return selectors.LeadListQuery(
            status=data.get("status") or None,
            owner_id=data.get("owner"),
            source=data.get("source") or "",
            introducer_id=data.get("introducer"),
            follow_up=data.get("follow_up") or "",
            q=data.get("q") or "",
            sort=self.sort,
        )
