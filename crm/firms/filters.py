"""The settings lists' filters: search, status and sort, parsed once (A5).

Every list of reference rows (introducers here, ``crm.support``'s pathways)
takes the same three: a search box, Active / Archived, and a sort by name or
status. A list with more sorts (the introducers' counts) widens ``sorts``.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.core.filters import ChoiceFilter, ListFilterSet, SearchFilter
from crm.firms.selectors.lookups import (
    DEFAULT_SORT,
    INTRODUCER_SORTS,
    REFERENCE_SORTS,
    ReferenceListQuery,
)

STATUS_CHOICES: list[tuple[str, Any]] = [
    ("", _("Active and archived")),
    ("active", _("Active")),
    ("archived", _("Archived")),
]


class ReferenceFilterSet(ListFilterSet):
    """Filters of a settings list of reference rows; every filter is optional."""

    sorts = frozenset(REFERENCE_SORTS)
    default_sort = DEFAULT_SORT

    q = SearchFilter(label=_("Search"), placeholder=_("Name"))
    status = ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES)

    def query(self) -> ReferenceListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return ReferenceListQuery(
            q=data.get("q") or "", status=data.get("status") or "", sort=self.sort
        )


class IntroducerFilterSet(ReferenceFilterSet):
    """Filters of the Introducers list: its search also looks in e-mail and phone."""

    sorts = frozenset(INTRODUCER_SORTS)

    q = SearchFilter(label=_("Search"), placeholder=_("Name, e-mail or phone"))
