"""``reverse_ids`` gives exactly Django's ``reverse`` for links to one object."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from crm.core.links import reverse_ids

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
