"""Fixtures shared by the support case page tests."""

import pytest

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.tests.factories import MembershipFactory


@pytest.fixture
def sup_owner(support_firm):
    """The owner of a Support-only charity."""
    return MembershipFactory(firm=support_firm, role=Role.OWNER)


@pytest.fixture
def sup_client(sup_owner, login):
    """A client logged in as the charity's owner."""
    return login(sup_owner)


@pytest.fixture
def ada(support_firm):
    return ContactFactory(
        firm=support_firm,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        mobile="07700 900111",
    )
