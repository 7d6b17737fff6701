"""The support Cases list's filters: one FilterSet for the page, the CSV and the API."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.cases import selectors as case_selectors
from crm.core.filters import (
    ChoiceFilter,
    DateFilter,
    DateRangeFilterForm,
    IdChoiceFilter,
    ListFilterSet,
    SearchFilter,
)
from crm.core.http import parse_id
from crm.firms import selectors as firm_selectors
from crm.firms.filters import ReferenceFilterSet
from crm.firms.models import Firm
from crm.support import selectors
from crm.support.choices import ConcernLevel, ReferralStatus, Scorer, SupportStatus


class SupportCaseFilterForm(DateRangeFilterForm):
    """Checks across the filters: the start-date range must not run backwards."""

    date_range = ("start_from", "start_to")


class SupportCaseFilterSet(ListFilterSet):
    """Filters of the support Cases list (I1, I9); every filter is optional.

    The pathway filter shows only when the firm has pathways.
    """

    tabs = case_selectors.TABS
    sorts = frozenset({*case_selectors.CASE_SORTS, *selectors.SUPPORT_SORTS})
    default_sort = case_selectors.DEFAULT_SORT

    q = SearchFilter(label=_("Search"), placeholder=_("Reference, title or name"))
    owner = IdChoiceFilter(label=_("Case manager"))
    status = ChoiceFilter(
        label=_("Status"),
        choices=[
            ("", _("Any status")),
            (SupportStatus.OPEN.value, SupportStatus.OPEN.label),
            (SupportStatus.CLOSED.value, SupportStatus.CLOSED.label),
        ],
    )
    concern = ChoiceFilter(
        label=_("Concern level"), choices=[("", _("Any level")), *ConcernLevel.choices]
    )
    pathway = IdChoiceFilter(label=_("Pathway"))
    start_from = DateFilter(label=_("Start date from"))
    start_to = DateFilter(label=_("Start date to"))

    class Meta:
        form = SupportCaseFilterForm

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        super().__init__(data)
        self.set_choices(
            "owner", [("", _("Anyone")), *firm_selectors.member_choices(firm=firm)]
        )
        current = parse_id(data.get("pathway")) if data is not None else None
        pathways = selectors.pathway_rows(firm=firm, current_id=current)
        if pathways:
            self.set_choices(
                "pathway", [("", _("Any pathway")), *((p.pk, p.name) for p in pathways)]
            )
        else:
            del self.filters["pathway"]

    def query(self) -> selectors.SupportCaseListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return selectors.SupportCaseListQuery(
            tab=self.tab,
            owner_id=data.get("owner"),
            status=data.get("status") or "",
            concern=data.get("concern") or "",
            pathway_id=data.get("pathway"),
            start_from=data.get("start_from"),
            start_to=data.get("start_to"),
            q=data.get("q") or "",
            sort=self.sort,
        )


class PathwayFilterSet(ReferenceFilterSet):
    """Filters of the Pathways settings list: search by name, Active / Archived."""

    q = SearchFilter(label=_("Search"), placeholder=_("Pathway name"))


class ScaleFilterSet(ReferenceFilterSet):
    """Filters of the Outcome scales list: search by name, Active / Archived."""

    q = SearchFilter(label=_("Search"), placeholder=_("Scale name"))


class ReferralFilterSet(ListFilterSet):
    """The Referrals queue's tabs (New, Accepted, Declined) and name search."""

    tabs = tuple(ReferralStatus.values)

    q = SearchFilter(label=_("Search"), placeholder=_("Name of the person referred"))

    def query(self) -> selectors.ReferralListQuery:
        """Return the typed query; a filter with an error is left out."""
        return selectors.ReferralListQuery(tab=self.tab, q=self.cleaned.get("q") or "")


class FunderFilterForm(DateRangeFilterForm):
    """Checks across the funder report's filters: the period must not run backwards."""


class FunderFilterSet(ListFilterSet):
    """The funder report's filters: scale, pathway, period and whose scores (I10)."""

    scale = IdChoiceFilter(label=_("Outcome scale"))
    pathway = IdChoiceFilter(label=_("Pathway"))
    date_from = DateFilter(label=_("Scored from"))
    date_to = DateFilter(label=_("Scored to"))
    scorer = ChoiceFilter(label=_("Whose scores"), choices=Scorer.choices)

    class Meta:
        form = FunderFilterForm

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        super().__init__(data)
        scales = selectors.scale_options(firm=firm)
        self.set_choices("scale", [("", _("Every scale")), *scales])
        pathways = selectors.pathway_list(firm=firm)
        self.set_choices(
            "pathway", [("", _("Every pathway")), *((p.pk, p.name) for p in pathways)]
        )

    def query(self) -> selectors.FunderQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return selectors.FunderQuery(
            scale_id=data.get("scale"),
            pathway_id=data.get("pathway"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            scorer=data.get("scorer") or Scorer.CASE_MANAGER,
        )
