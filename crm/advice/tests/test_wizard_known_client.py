"""The applicant steps take a client the caller has read already (the lead's)."""

import pytest

from crm.advice.wizard.steps import ApplicantForm
from crm.contacts.tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _form(firm, contact, known):
    data = {"choice": ApplicantForm.EXISTING, "contact": str(contact.pk)}
    return ApplicantForm(data, firm=firm, known=known)


def test_the_known_client_is_used_without_a_read(firm, django_assert_num_queries):
    """E9: Create Case from a lead re-checks the main step with the lead's client."""
    client = ContactFactory(firm=firm)
    form = _form(firm, client, known=client)
    with django_assert_num_queries(0):
        assert form.load_selected() is client


def test_another_client_is_read_and_an_organisation_is_refused(
    firm, other_firm, django_assert_num_queries
):
    """A different id is read as before (another firm's: none); a known
    organisation is refused as person_picked refuses it."""
    known = ContactFactory(firm=firm)
    other = ContactFactory(firm=firm)
    with django_assert_num_queries(1):
        assert _form(firm, other, known=known).load_selected() == other
    assert (
        _form(firm, ContactFactory(firm=other_firm), known=known).load_selected()
        is None
    )
    organisation = OrganisationFactory(firm=firm)
    assert _form(firm, organisation, known=organisation).load_selected() is None
