"""``Case.client_sort_name`` follows the main applicant's name (issue 21, item 3).

The Cases list sorts by client on this stored, indexed copy of the main
applicant's ``Contact.sort_name``; every service that can change that name
keeps it right. Opening a case through the wizard, a lead's conversion, the
support form and the API are covered beside those paths' own tests.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.cases import services
from crm.cases.models import Case
from crm.cases.selectors import case_list
from crm.cases.tests.factories import make_case
from crm.compliance import services as compliance_services
from crm.compliance.tests.helpers import close
from crm.contacts import renames
from crm.contacts import services as contact_services
from crm.contacts.tests.factories import ContactFactory
from crm.contacts.tests.test_imports_services import csv_bytes
from crm.contacts.tests.test_imports_services import run as import_run
from crm.core import keyset

pytestmark = pytest.mark.django_db


def stored(case):
    return Case.objects.filter(pk=case.pk).values_list("client_sort_name", flat=True)[0]


def case_updates(queries):
    return [q["sql"] for q in queries if re.match(r'UPDATE "cases_case"', q["sql"])]


def test_a_new_case_stores_its_main_applicants_sort_name(firm):
    """D1: the main applicant's "surname first" name, not the joint one's."""
    main = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    joint = ContactFactory(firm=firm, first_name="Alan", last_name="Adams")
    case = make_case(firm, applicants=[main, joint])
    assert stored(case) == main.sort_name == "lovelace ada"
    assert case.client_sort_name == "lovelace ada"


def test_adding_and_removing_the_joint_applicant_keeps_the_main_name(firm, owner):
    """D4: the main applicant never changes, so neither does the stored name."""
    main = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    joint = ContactFactory(firm=firm, first_name="Alan", last_name="Adams")
    case = make_case(firm, applicants=[main])
    services.case_applicant_add(firm=firm, actor=owner.user, case=case, contact=joint)
    assert stored(case) == "lovelace ada"
    services.case_applicant_remove(
        firm=firm, actor=owner.user, case=case, contact=joint
    )
    assert stored(case) == "lovelace ada"


def test_renaming_a_client_updates_the_cases_they_are_main_on_in_one_update(
    firm, other_firm, owner
):
    """B2: a rename rewrites the stored name of every case where the client is
    the main applicant, with one UPDATE; a case where they are joint keeps its
    main applicant's name, and another firm's cases are not touched."""
    ada = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    other = ContactFactory(firm=firm, first_name="Alan", last_name="Turing")
    mains = [make_case(firm, applicants=[ada]) for _ in range(2)]
    joint = make_case(firm, applicants=[other, ada])
    elsewhere = make_case(other_firm)
    with CaptureQueriesContext(connection) as ctx:
        contact_services.contact_update(
            firm=firm, actor=owner.user, contact=ada, last_name="King"
        )
    assert len(case_updates(ctx.captured_queries)) == 1
    assert [stored(c) for c in mains] == ["king ada", "king ada"]
    assert stored(joint) == "turing alan"
    assert stored(elsewhere) == elsewhere.applicants.get().contact.sort_name


def test_a_change_that_keeps_the_name_does_not_touch_cases(firm, owner):
    """B2: an edit of anything but the name writes no case."""
    ada = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    case = make_case(firm, applicants=[ada])
    with CaptureQueriesContext(connection) as ctx:
        contact_services.contact_update(
            firm=firm, actor=owner.user, contact=ada, town="Leeds"
        )
    assert case_updates(ctx.captured_queries) == []
    assert stored(case) == "lovelace ada"


def test_an_import_that_renames_clients_updates_their_cases(firm, owner):
    """B5: an import in update mode that changes names updates the cases of
    the renamed clients, one UPDATE for the batch."""
    ada = ContactFactory(
        firm=firm, first_name="Ada", last_name="Lovelace", email="a@x.uk"
    )
    bea = ContactFactory(firm=firm, first_name="Bea", last_name="Bell", email="b@x.uk")
    cases = [make_case(firm, applicants=[ada]), make_case(firm, applicants=[bea])]
    rows = [
        ["Ada", "Byron", "a@x.uk", "", "", ""],
        ["Bea", "Cole", "b@x.uk", "", "", ""],
        ["Cy", "New", "c@x.uk", "", "", ""],
    ]
    with CaptureQueriesContext(connection) as ctx:
        import_run(firm, owner, csv_bytes(rows), mode="update")
    assert len(case_updates(ctx.captured_queries)) == 1
    assert [stored(c) for c in cases] == ["byron ada", "cole bea"]


def test_erasing_a_client_renames_their_cases(firm, owner):
    """M3: an erased main applicant's cases sort under the erased name."""
    ada = ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    case = close(make_case(firm, applicants=[ada]), years_ago=10)
    compliance_services.contact_erase(firm=firm, actor=owner.user, contact=ada)
    ada.refresh_from_db()
    assert stored(case) == ada.sort_name == "erased client"


def test_the_cases_hook_is_registered_once():
    """The cases app registers its refresh with the contacts' rename registry."""
    assert (
        renames.hooks()["cases.client_sort_name"] is services.case_client_names_refresh
    )
    with pytest.raises(ValueError, match="registered twice"):
        renames.register("cases.client_sort_name", lambda **kw: 0)


def test_the_migration_fills_every_case_from_its_main_applicant(firm):
    """The migration's fill copies each main applicant's name, in one UPDATE."""
    names = [("Ada", "Lovelace"), ("Alan", "Turing"), ("Grace", "Hopper")]
    cases = [
        make_case(
            firm,
            applicants=[ContactFactory(firm=firm, first_name=first, last_name=last)],
        )
        for first, last in names
    ]
    Case.objects.filter(firm=firm).update(client_sort_name="")
    migration = importlib.import_module(
        "crm.cases.migrations.0010_case_client_sort_name"
    )

    class Apps:
        def get_model(self, app, name):
            return django_apps.get_model(app, name)

    class Editor:
        """The part of a schema editor the fill uses, inside the test's transaction."""

        connection = connection
        quote_name = staticmethod(connection.ops.quote_name)

        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    migration.fill(Apps(), Editor())
    assert [stored(c) for c in cases] == ["lovelace ada", "turing alan", "hopper grace"]


def test_pages_by_client_follow_the_stored_name_both_ways(firm):
    """Issue 21: the client sort pages by key on the stored name; Next and
    Previous give the same rows as one read of the whole list."""
    for last in ("Young", "Adams", "Moss", "Adams", "Baker", "Zhou", "Moss"):
        make_case(firm, applicants=[ContactFactory(firm=firm, last_name=last)])
    for sort in ("client", "-client"):
        qs = case_list(firm=firm, sort=sort)
        whole = list(qs.values_list("id", flat=True))
        names = list(qs.values_list("client_sort_name", flat=True))
        assert names == sorted(names, reverse=sort.startswith("-"))
        first = keyset.fetch(qs, limit=3)
        second = keyset.fetch(qs, limit=3, after=first.next_cursor or "")
        third = keyset.fetch(qs, limit=3, after=second.next_cursor or "")
        pages = [first, second, third]
        assert [r.pk for p in pages for r in p.rows] == whole
        back = keyset.fetch(qs, limit=3, before=third.previous_cursor or "")
        assert [r.pk for r in back.rows] == [r.pk for r in second.rows]
