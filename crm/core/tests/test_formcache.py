"""A list's filter bar kept per distinct input is the bar drawn afresh (issue 21)."""

import re

import pytest
from django.http import QueryDict
from django.urls import reverse

from crm.core import formcache
from crm.core.filters import ChoiceFilter, ListFilterSet, SearchFilter
from crm.core.tests.test_list_history import LISTS
from crm.firms.models import Firm
from crm.firms.selectors import choice_cache
from crm.firms.tests.factories import IntroducerFactory

FILTERS = re.compile(r'<form method="get".*?</form>', re.S)
QUERIES = ["", "?q=ann", "?created_from=not-a-date&owner=999999", "?status=junk&kind=x"]


@pytest.fixture(autouse=True)
def _fresh():
    formcache.clear()
    yield
    formcache.clear()


def _bar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    found = FILTERS.search(response.content.decode())
    assert found, f"{url} draws no filter bar"
    return found.group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", [name for name in LISTS if "board" not in name])
def test_a_kept_bar_is_the_bar_drawn_afresh(url_name, firm, owner_client):
    """Each list, with no filters, valid and invalid ones: kept = drawn."""
    firm.has_support = True
    firm.save(update_fields=["has_support"])
    for query in QUERIES:
        url = reverse(url_name) + query
        formcache.clear()
        drawn = _bar(owner_client, url)
        assert formcache._drawn, f"{url_name} kept nothing"
        assert _bar(owner_client, url) == drawn  # from the cache
    assert "Enter a valid date" in _bar(
        owner_client, reverse("advice:case_list") + QUERIES[2]
    )


@pytest.mark.django_db
def test_a_new_introducer_is_offered_at_once(firm, owner_client):
    """The choices are part of the key: a changed list is a new bar."""
    url = reverse("advice:case_list")
    assert "Acme Introductions" not in _bar(owner_client, url)
    IntroducerFactory(firm=firm, name="Acme Introductions")
    choice_cache.clear()  # the factory skips the services' choices_changed
    assert "Acme Introductions" in _bar(owner_client, url)


@pytest.mark.django_db
def test_the_chosen_values_are_part_of_the_key(firm, owner_client, owner):
    """Two queries never share a bar: the chosen owner is drawn selected."""
    url = reverse("advice:case_list")
    plain = _bar(owner_client, url)
    chosen = _bar(owner_client, f"{url}?owner={owner.user_id}")
    assert plain != chosen
    assert f'<option value="{owner.user_id}" selected>' in chosen


class _Filters(ListFilterSet):
    name = SearchFilter(label="Name")
    pick = ChoiceFilter(label="Pick", choices=[("a", "A")])


def test_the_key_holds_what_a_field_draws_from():
    data = QueryDict("name=x")
    base = formcache.filterset_key(_Filters(data))
    assert base is not None
    assert formcache.filterset_key(_Filters(data)) == base
    assert formcache.filterset_key(_Filters(QueryDict("name=y"))) != base
    assert formcache.filterset_key(_Filters()) != base
    other = _Filters(data)
    other.set_choices("pick", [("a", "A"), ("b", "B")])
    assert formcache.filterset_key(other) != base
    other = _Filters(data)
    other.filters["name"].extra["placeholder"] = "Name"
    assert formcache.filterset_key(other) != base
    other = _Filters(data)
    other.filters["name"].label = "Full name"
    assert formcache.filterset_key(other) != base


def test_filtersets_it_cannot_describe_are_drawn_each_time():
    """A queryset, a callable initial, a dict of data."""
    of_queryset = _Filters()
    of_queryset.filters["pick"].extra["queryset"] = Firm.objects.none()
    assert formcache.filterset_key(of_queryset) is None
    callable_initial = _Filters()
    callable_initial.filters["name"].extra["initial"] = lambda: "now"
    assert formcache.filterset_key(callable_initial) is None
    as_dict = _Filters({"name": "x"})  # type: ignore[arg-type]  # a dict, not a QueryDict
    assert formcache.filterset_key(as_dict) is None


def test_lazy_labels_are_keyed_by_their_text_and_the_language():
    """A lazily translated label is its call; the language is in the key too."""
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    assert formcache._plain(gettext_lazy("Any")) == formcache._plain(
        gettext_lazy("Any")
    )
    assert formcache._plain(gettext_lazy("Any")) != formcache._plain(
        gettext_lazy("All")
    )
    filterset = _Filters()
    filterset.filters["name"].label = gettext_lazy("Yes")
    with translation.override("en-gb"):
        english = formcache.filterset_key(filterset)
    with translation.override("fr"):
        assert formcache.filterset_key(filterset) != english


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_kept_cleaned_values_are_the_forms_and_spare_making_it(firm, query):
    """The second FilterSet of a query cleans to the same values, formless."""
    from crm.advice.filters import CaseFilterSet

    fresh = CaseFilterSet(QueryDict(query.lstrip("?")), firm=firm)
    first = fresh.query()
    assert "_form" in fresh.__dict__
    again = CaseFilterSet(QueryDict(query.lstrip("?")), firm=firm)
    assert again.query() == first
    assert again.params() == fresh.params()
    assert again.is_filtered == fresh.is_filtered
    assert "_form" not in again.__dict__


@pytest.mark.django_db
def test_new_choices_are_a_new_filterset_key(firm):
    from crm.advice.filters import CaseFilterSet

    filterset = CaseFilterSet(QueryDict("owner=1"), firm=firm)
    before = filterset.input_key
    assert before is not None
    filterset.set_choices("owner", [("", "Anyone"), (1, "Ann")])
    assert filterset.input_key != before
    as_dict = CaseFilterSet({"owner": "1"}, firm=firm)  # type: ignore[arg-type]  # a dict, not a QueryDict
    assert formcache.filterset_key(as_dict) is None


def test_keys_share_one_copy_of_a_list_of_choices():
    """A firm's long member list is held once, however many keys hold it."""
    choices = [(i, f"Member {i}") for i in range(2000)]
    first = formcache._choices(list(choices))
    second = formcache._choices(list(choices))
    assert first == second
    assert first is second


def test_a_key_holds_values_not_objects():
    """An object compared by identity (a queryset) would be a new key on
    every request: such a form is drawn each time, not kept."""
    with pytest.raises(TypeError):
        formcache._plain(object())
    filterset = _Filters()
    filterset.filters["name"].extra["data-x"] = object()
    assert formcache.filterset_key(filterset) is None
    assert formcache._plain(("a", 1, None)) == ("a", 1, None)


def test_kept_cleaned_values_are_copies():
    values = {"kinds": ["a"], "day": None}
    formcache.keep_cleaned("k", values)
    first = formcache.cleaned("k")
    assert first == values
    assert first is not None
    first["kinds"].append("b")
    assert formcache.cleaned("k") == {"kinds": ["a"], "day": None}
