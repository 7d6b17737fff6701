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
from typing import TYPE_CHECKING, Any, ClassVar

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from crm.core import fields, formcache, principals, selectors

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from crm.firms.models import Firm

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
        # Each filter is the class's own, copied with its ``extra`` (which
        # ``set_choices`` fills): a deep copy of every filter and its lazy
        # label cost the Cases list some 1,200 Python calls a request.
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.__dict__.pop("_field", None)
            filter_.extra = dict(base.extra)
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self) -> type[forms.Form]:
        """Return the form of this FilterSet's own fields (made for it alone).

        Django's form deep-copies its class's fields for each instance, in
        case the class serves several; each filter here builds its field
        anew for this FilterSet, so the first form takes them as they are
        (the deep copy of the choices and widgets cost the Cases list about
        2,200 Python calls a request).
        """
        form_class: type[forms.Form] = super().get_form_class()
        form_class.base_fields = _FieldsOfOneForm(form_class.base_fields)
        return form_class

    def set_choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        """Offer ``choices`` in filter ``name`` (before the form is built)."""
        self.filters[name].extra["choices"] = choices
        self.__dict__.pop("_input_key", None)

    @property
    def input_key(self) -> Any:
        """Return what the form is made from and given (``crm.core.formcache``)."""
        if "_input_key" not in self.__dict__:
            self._input_key = formcache.filterset_key(self)
        return self._input_key

    @property
    def cleaned(self) -> dict[str, Any]:
        """Return the valid filters' values; a field with an error is left out.

        Kept per process under ``input_key``: the same query string on the
        same choices cleans to the same values without making the form.
        """
        if not self.is_bound:
            return {}
        found = self.input_key
        kept = formcache.cleaned(found) if found is not None else None
        if kept is not None:
            return kept
        self.form.is_valid()
        values = dict(self.form.cleaned_data)
        if found is not None:
            formcache.keep_cleaned(found, values)
        return values

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

    def params(self) -> QueryDict:
        """Return the tab, the valid filters and a known sort, for links.

        Tab links keep the filters that apply and leave out junk and anything
        else the query string or a posted form carried.
        """
        query = QueryDict(mutable=True)
        if self.tabs:
            query["tab"] = self.tab
        cleaned = self.cleaned
        for name in self.filters:  # the form's fields, one per filter
            if cleaned.get(name) not in EMPTY_VALUES:
                query.setlist(name, self.data.getlist(name))
        if self.data.get("sort", "") in self.sorts:
            query["sort"] = self.sort
        return query

    def clear_url(self) -> str:
        """Return the "?..." link that clears the filters but keeps the tab."""
        return f"?tab={self.tab}" if self.tabs else "?"


class _FieldsOfOneForm(dict[str, forms.Field]):
    """A form class's fields that the first form made from it takes uncopied.

    Any later form of the same class gets deep copies, as Django's forms do.
    """

    taken = False

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        if self.taken:
            return copy.deepcopy(dict(self), memo)
        self.taken = True
        return dict(self)


class DateRangeFilterForm(forms.Form):
    """Checks across a list's filters: its date range must not run backwards.

    ``date_range`` names the start and end filters; an end before the start is
    an error on the end filter (``date_range_error``), which is then left out.
    """

    date_range: ClassVar[tuple[str, str]] = ("date_from", "date_to")
    date_range_error: ClassVar["StrOrPromise"] = _(
        "Choose a date on or after the start."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start_name, end_name = self.date_range
        start, end = data.get(start_name), data.get(end_name)
        if start and end and end < start:
            self.add_error(end_name, self.date_range_error)
            data.pop(end_name, None)
        return data


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


# The Audit log's filters (A7).


class AuditFilterForm(DateRangeFilterForm):
    """Checks across the Audit log filters: the date range must not run backwards."""

    date_range_error = _("The end date is before the start date.")


class AuditFilterSet(ListFilterSet):
    """Filters of the Audit log (A7); every filter is optional."""

    actor = IdChoiceFilter(label=_("Who"))
    object_type = ChoiceFilter(label=_("Record type"))
    verb = ChoiceFilter(label=_("Action"))
    date_from = DateFilter(label=_("From"))
    date_to = DateFilter(label=_("To"))

    class Meta:
        form = AuditFilterForm

    def __init__(self, data: QueryDict | None, *, firm: "Firm") -> None:
        super().__init__(data)
        self.set_choices(
            "actor", [("", _("Anyone")), *principals.member_choices(firm=firm)]
        )
        self.set_choices(
            "object_type",
            [("", _("Any record")), *selectors.audit_recorded_types(firm=firm)],
        )
        self.set_choices(
            "verb", [("", _("Any action")), *selectors.audit_recorded_verbs(firm=firm)]
        )

    def query(self) -> selectors.AuditEventListQuery:
        """Return the typed query; a filter with an error is left out."""
        data = self.cleaned
        return selectors.AuditEventListQuery(
            actor_id=data.get("actor"),
            object_type=data.get("object_type") or "",
            verb=data.get("verb") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
