"""Case services: numbering, and the checks ``case_create`` runs before saving."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.cases.models import CaseReferenceCounter
from crm.cases.services import next_reference
from crm.cases.tests.factories import make_case
from crm.contacts.tests.factories import ContactFactory
from crm.core import validation

pytestmark = pytest.mark.django_db


def test_next_reference_takes_one_query_once_the_counter_exists(
    firm, django_assert_num_queries
):
    """The first number creates the counter; later ones are one UPDATE that
    returns the number (two before: the UPDATE, then a read)."""
    first, _ = next_reference(firm=firm, kind="mortgage")
    with django_assert_num_queries(1):
        second, reference = next_reference(firm=firm, kind="mortgage")
    assert second == first + 1
    assert reference.endswith(f"-{second:05d}")


def test_held_foreign_keys_are_not_read_again(firm, django_assert_num_queries):
    """A held key skips its row read; the unique checks still run (one query)."""
    counter = CaseReferenceCounter(firm=firm, kind="protection")
    with django_assert_num_queries(2):
        counter.full_clean()
    with django_assert_num_queries(1):
        validation.full_clean(counter, held=("firm",))


def test_held_fields_still_get_their_unique_checks(firm):
    """A held firm is still part of the (firm, kind) uniqueness check."""
    make_case(firm)
    counter = CaseReferenceCounter(firm=firm, kind="mortgage")
    with pytest.raises(ValidationError, match="already exists"):
        validation.full_clean(counter, held=("firm",))


def test_other_fields_are_still_checked(firm):
    """Only the held keys' row reads are skipped: a bad choice is still refused."""
    counter = CaseReferenceCounter(firm=firm, kind="no-such-kind", last_number=-1)
    with pytest.raises(ValidationError) as caught:
        validation.full_clean(counter, held=("firm",))
    assert set(caught.value.message_dict) == {"kind", "last_number"}


@pytest.mark.django_db(transaction=True)
def test_create_case_locks_the_audit_chain_before_the_reference_counter(firm):
    """A status change that opens a Remortgage case takes the firm's audit
    chain, then the counter: Create Case takes them in that order too, for an
    existing client (whose case's audit row comes after the counter)."""
    client = ContactFactory(firm=firm)
    make_case(firm, applicants=[client])  # the counter row exists
    with CaptureQueriesContext(connection) as captured:
        make_case(firm, applicants=[client])
    sqls = [q["sql"] for q in captured]
    head = next(
        i
        for i, sql in enumerate(sqls)
        if "casework_audit_head" in sql or 'FROM "core_auditevent"' in sql
    )
    counter = next(
        i for i, sql in enumerate(sqls) if "cases_casereferencecounter" in sql
    )
    assert head < counter
