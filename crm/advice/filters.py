"""The advice Cases list's filters: one FilterSet for the page, the CSV and the API."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.advice.choices import AdviceStatus, statuses_for
from crm.advice.selectors import ADVICE_KINDS
from crm.cases import kinds as case_kinds
from crm.cases import selectors as case_selectors
from crm.core.filters import (
    ChoiceFilter,
    DateFilter,
    DateRangeFilterForm,
    IdChoiceFilter,
    ListFilterSet,
    SearchFilter,
)
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm

FOLLOW_UP_CHOICES = [
    ("", _("Any")),
    ("due", _("Due today")),
    ("overdue", _("Overdue")),
]


class CaseFilterForm(DateRangeFilterForm):
    """Checks across the Cases filters: the date range must not run backwards."""

    date_range = ("created_from", "created_to")


def _statuses_of(kinds: list[str]) -> list[AdviceStatus]:
    """Return the stages of every kind in ``kinds``, each once, in pipeline order."""
    seen: dict[str, AdviceStatus] = {}
    for kind in kinds:
        for status in statuses_for(kind):
            seen.setdefault(status.value, status)
    return list(seen.values())


class CaseFilterSet(ListFilterSet):
    """Filters of the advice Cases list (D2); every filter is optional.

    The status list offers the stages of the chosen kind; a status that does
    not belong to the chosen kind is dropped rather than refused.
    """

    tabs = case_selectors.TABS
    sorts = frozenset(case_selectors.CASE_SORTS)
    default_sort = case_selectors.DEFAULT_SORT

    q = SearchFilter(label=_("Search"), placeholder=_("Reference, name or e-mail"))
    kind = ChoiceFilter(label=_("Kind"))
    status = ChoiceFilter(label=_("Status"))
    owner = IdChoiceFilter(label=_("Owner"))
    introducer = IdChoiceFilter(label=_("Introducer"))
    follow_up = ChoiceFilter(label=_("Follow-up"), choices=FOLLOW_UP_CHOICES)
    created_from = DateFilter(label=_("Created from"))
    created_to = DateFilter(label=_("Created to"))

    class Meta:
        form = CaseFilterForm

    def __init__(self, data: QueryDict | None, *, firm: Firm) -> None:
        kinds = list(ADVICE_KINDS)
        kind = data.get("kind", "") if data is not None else ""
        kind = kind if kind in kinds else ""
        statuses = statuses_for(kind) if kind else _statuses_of(kinds)
        if data is not None and data.get("status") not in {"", None, *statuses}:
            data = data.copy()
            data.pop("status")
        super().__init__(data)
        self.firm = firm
        self.set_choices(
            "kind",
            [("", _("Any kind")), *((k, case_kinds.get(k).label) for k in kinds)],
        )
        self.set_choices(
            "status", [("", _("Any status")), *((s.value, s.label) for s in statuses)]
        )
        self.set_choices(
            "owner", [("", _("Anyone")), *firm_selectors.member_choices(firm=firm)]
        )
        self.set_choices(
            "introducer",
            [("", _("Any introducer")), *firm_selectors.introducer_choices(firm=firm)],
        )

    def _scope_kinds(self) -> tuple[str, ...] | None:
        """Return the kinds the list keeps to, if the firm has other kinds too."""
        others = [k for k in case_kinds.kinds_for(self.firm) if k.module != "advice"]
        return ADVICE_KINDS if others else None

    def query(self) -> case_selectors.CaseListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return case_selectors.CaseListQuery(
            tab=self.tab,
            kind=data.get("kind") or "",
            kinds=self._scope_kinds(),
            status=data.get("status") or "",
            owner_id=data.get("owner"),
            introducer_id=data.get("introducer"),
            follow_up=data.get("follow_up") or "",
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            q=data.get("q") or "",
            sort=self.sort,
        )
