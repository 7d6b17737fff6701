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
