"""The Clients list's filters: one FilterSet for the page and the CSV export."""

from django.utils.translation import gettext_lazy as _

from crm.contacts import selectors
from crm.contacts.choices import ContactKind
from crm.core.filters import ChoiceFilter, ListFilterSet, SearchFilter

ARCHIVED = "1"


class ContactFilterSet(ListFilterSet):
    """Filters of the Clients list (B1, B5); every filter is optional."""

    sorts = frozenset(selectors.SORTS)
    default_sort = selectors.DEFAULT_SORT

    q = SearchFilter(label=_("Search"), placeholder=_("Name, e-mail or phone"))
    kind = ChoiceFilter(
        label=_("Type"),
        choices=[("", _("People and organisations")), *ContactKind.choices],
    )
    archived = ChoiceFilter(
        label=_("Status"), choices=[("", _("Active")), (ARCHIVED, _("Archived"))]
    )

    def query(self) -> selectors.ContactListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return selectors.ContactListQuery(
            kind=data.get("kind") or "",
            archived=data.get("archived") == ARCHIVED,
            q=data.get("q") or "",
            sort=self.sort,
        )
