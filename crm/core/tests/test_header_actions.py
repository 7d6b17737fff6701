"""The header's action buttons come from the apps' registrations (nav.ACTIONS)."""

import pytest

from crm.firms.choices import Role
from crm.firms.tests.factories import FirmFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEW_CASE = 'class="button button--primary topbar__new" href="/cases/new/">+ New Case'


def test_new_case_is_offered_to_members_who_may_open_cases(login):
    """An adviser of an advice firm sees + New Case in the header."""
    adviser = MembershipFactory(firm=FirmFactory(), role=Role.ADVISER)
    assert NEW_CASE in login(adviser).get("/").content.decode()


def test_new_case_is_hidden_from_read_only_members(login):
    """A read-only member is not shown a button that would answer 403."""
    reader = MembershipFactory(firm=FirmFactory(), role=Role.READ_ONLY)
    assert "+ New Case" not in login(reader).get("/").content.decode()


def test_new_case_is_not_offered_by_a_support_only_charity(login):
    """The wizard belongs to the advice module; a charity opens cases its own way."""
    firm = FirmFactory(has_advice=False, has_support=True)
    owner = MembershipFactory(firm=firm, role=Role.OWNER)
    assert "+ New Case" not in login(owner).get("/").content.decode()


def _both_modules_firm():
    return FirmFactory(has_advice=True, has_support=True)


def test_a_firm_with_both_modules_gets_one_new_case_menu(login):
    """A8/E1: one + New Case, a disclosure listing each kind the member may open.

    The wizard (mortgage or protection) and a support case are real links in
    one list; there is no second New Case or Create case button in the header.
    """
    adviser = MembershipFactory(firm=_both_modules_firm(), role=Role.ADVISER)
    body = login(adviser).get("/").content.decode()
    header = body[body.index("<header") : body.index("</header>")]
    assert header.count("topbar__new") == 1
    assert '<details class="dropmenu">' in header
    assert ">+ New Case</summary>" in header
    assert 'href="/cases/new/">Mortgage or protection case</a>' in header
    assert 'href="/support/cases/new/">Support case</a>' in header
    assert "Create case" not in header


def test_the_new_case_menu_is_hidden_from_read_only_members(login):
    """A read-only member of a firm with both modules is offered neither kind."""
    reader = MembershipFactory(firm=_both_modules_firm(), role=Role.READ_ONLY)
    body = login(reader).get("/").content.decode()
    assert "+ New Case" not in body
    assert 'href="/support/cases/new/"' not in body


def test_an_advice_only_firm_keeps_its_direct_new_case_link(login):
    """A single-module firm goes straight to its one kind: no menu to open."""
    adviser = MembershipFactory(firm=FirmFactory(), role=Role.ADVISER)
    body = login(adviser).get("/").content.decode()
    assert NEW_CASE in body
    assert 'class="dropmenu"' not in body
