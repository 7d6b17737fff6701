"""``quick_reverse`` and the ``{% url %}`` builtin give exactly Django's URLs."""

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from crm.core.links import quick_reverse, reverse_ids

ROUTES = [
    ("contacts:contact_detail", "contact_id"),
    ("leads:lead_detail", "lead_id"),
    ("tasks:task_edit", "task_id"),
    ("advice:case_detail", "case_id"),
]


@pytest.mark.parametrize(("viewname", "name"), ROUTES)
def test_reverse_ids_matches_djangos_reverse(viewname, name):
    """Any whole-number id gives Django's URL, the markers' digits included."""
    for value in (0, 1, 7, 42, 9_876_543_201, 10**20):
        assert reverse_ids(viewname, **{name: value}) == reverse(
            viewname, kwargs={name: value}
        )


def test_reverse_ids_leaves_other_values_to_django():
    """A negative, text or missing id is Django's answer too (an error or its URL)."""
    assert reverse_ids("contacts:contact_detail", contact_id="5") == reverse(  # type: ignore[arg-type]  # text on purpose
        "contacts:contact_detail", kwargs={"contact_id": 5}
    )
    with pytest.raises(NoReverseMatch):
        reverse_ids("contacts:contact_detail", contact_id=-1)
    with pytest.raises(NoReverseMatch):
        reverse_ids("contacts:contact_detail", contact_id=True)
    with pytest.raises(NoReverseMatch):
        reverse_ids("contacts:no_such_page", contact_id=1)
    with pytest.raises(NoReverseMatch):
        reverse_ids("contacts:contact_detail", other_id=1)


def test_reverse_ids_follows_the_script_prefix_and_the_urlconf():
    """A site under a sub-path, or another URLconf, gets its own links."""
    set_script_prefix("/crm/")
    try:
        assert reverse_ids("contacts:contact_detail", contact_id=3) == reverse(
            "contacts:contact_detail", kwargs={"contact_id": 3}
        )
        assert reverse_ids("contacts:contact_detail", contact_id=3).startswith("/crm/")
    finally:
        set_script_prefix("/")
    with override_settings(ROOT_URLCONF="crm.core.tests.urlconfs.moved"):
        assert reverse_ids("contacts:contact_detail", contact_id=3) == (
            "/people/3/record/"
        )
    assert reverse_ids("contacts:contact_detail", contact_id=3) == reverse(
        "contacts:contact_detail", kwargs={"contact_id": 3}
    )


def test_a_pattern_narrower_than_the_markers_is_left_to_django():
    """A route taking four digits cannot be reversed with ten-digit markers;
    Django's reverse with the real id gives its URL (and its refusal)."""
    with override_settings(ROOT_URLCONF="crm.core.tests.urlconfs.narrow"):
        assert quick_reverse("year", kwargs={"year": 2026}) == "/years/2026/"
        assert quick_reverse("year", args=[1999]) == "/years/1999/"
        with pytest.raises(NoReverseMatch):
            quick_reverse("year", kwargs={"year": 12345})


TEMPLATES = [
    "{% url 'tasks:task_edit' 42 %}",
    "{% url 'tasks:task_edit' task_id=7 %}",
    "{% url 'tasks:task_edit' n %}|{% url 'tasks:task_edit' '5' %}",
    "{% url 'tasks:task_complete' n as action %}[{{ action }}]",
    "{% url 'tasks:no_such' n as action %}[{{ action }}]",
    "{% url 'tasks:task_list' %}?next={{ n }}",
    "{% url name task_id=n %}",
]


@pytest.mark.parametrize("source", TEMPLATES)
def test_url_tag_draws_what_djangos_draws(source):
    """The ``{% url %}`` builtin is the quick one, with Django's output."""
    ours = engines["django"].from_string(source)
    theirs = Engine(
        libraries={}, builtins=["template_partials.templatetags.partials"]
    ).from_string(source)
    context = {"n": 12, "name": "tasks:task_edit"}
    assert "QuickURLNode" in repr(ours.template.nodelist)  # type: ignore[attr-defined]  # the backend's
    assert ours.render(context) == theirs.render(Context(context))


def test_url_tag_refuses_a_missing_route_as_django_does():
    """Without ``as``, a route that does not exist is an error, as in Django."""
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'tasks:no_such' 1 %}").render({})


def test_quick_reverse_by_position_and_name():
    """Ids by position or by name give Django's URL; both at once is Django's error."""
    assert quick_reverse("tasks:task_edit", [3]) == reverse("tasks:task_edit", args=[3])
    assert quick_reverse("tasks:task_list") == reverse("tasks:task_list")
    with pytest.raises(ValueError, match="Don't mix"):
        quick_reverse("tasks:task_edit", [3], {"task_id": 3})
