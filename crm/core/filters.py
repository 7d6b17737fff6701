"""The base of every list's FilterSet: parse the query string once, typed.

A list page, its CSV export and the API build the list's FilterSet from the
query string and hand its typed ``query()`` to the list's selector, so the
three can never disagree. A filter with a bad value (junk id, impossible date,
NUL byte, a choice that is not offered) is left out and its error is shown next
to its field; the other filters still apply. ``tab`` and ``sort`` are read
here too: an unknown one falls back to the list's default.

The selectors keep the queryset (tenant scope, visibility, search and sort),
so the FilterSets validate and type the input and do not filter querysets
themselves.
"""

import copy
from typing import Any, ClassVar

import django_filters
from django.http import QueryDict

from crm.core import fields

# What "no filter" looks like once cleaned.
EMPTY_VALUES: tuple[Any, ...] = (None, "", [], ())


class ListFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """A FilterSet bound to a query string and parsed by its form.

    Subclasses declare their filters, ``tabs`` and ``sorts`` (the accepted
    values of ``?tab=`` and ``?sort=``) and build their typed query.
    """

    tabs: ClassVar[tuple[str, ...]] = ()
    sorts: ClassVar[frozenset[str]] = frozenset()
    default_sort: ClassVar[str] = ""

    def __init__(self, data: QueryDict | None = None) -> None:
        # The selector owns the queryset, so no model or queryset is bound.
        self.is_bound = data is not None
        self.data = data if data is not None else QueryDict()
        self.queryset = None
        self.request = None
        self.form_prefix = None
        self.filters = copy.deepcopy(self.base_filters)
        for filter_ in self.filters.values():
            filter_.parent = self

    def set_choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        """Offer ``choices`` in filter ``name`` (before the form is built)."""
        self.filters[name].extra["choices"] = choices

    @property
    def cleaned(self) -> dict[str, Any]:
        """Return the valid filters' values; a field with an error is left out."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return dict(self.form.cleaned_data)

    @property
    def tab(self) -> str:
        """Return the open tab: ``?tab=`` if it is one of ``tabs``, else the first."""
        wanted = self.data.get("tab", "")
        if wanted in self.tabs:
            return str(wanted)
        return self.tabs[0] if self.tabs else ""

    @property
    def sort(self) -> str:
        """Return ``?sort=`` if it is one of ``sorts``, else ``default_sort``."""
        wanted = self.data.get("sort", "")
        return str(wanted) if wanted in self.sorts else self.default_sort

    @property
    def is_filtered(self) -> bool:
        """Return True if any filter narrows the list (tabs and sort do not)."""
        return any(value not in EMPTY_VALUES for value in self.cleaned.values())

    def clear_url(self) -> str:
        """Return the "?..." link that clears the filters but keeps the tab."""
        return f"?tab={self.tab}" if self.tabs else "?"


class IdChoiceFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter is untyped
    """A choice of one of the firm's records by id, cleaned to ``int`` or None."""

    field_class = fields.IdChoiceField


class DateFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter is untyped
    """An ISO date from the browser's date picker; junk is a field error."""

    field_class = fields.DateField


class ChoiceFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter is untyped
    """One of a fixed set of values; anything else is a field error."""

    field_class = fields.ChoiceField


class SearchFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter is untyped
    """A free-text search box, trimmed; NUL bytes are a field error."""

    field_class = fields.SearchField
