"""The compliance demo data (SPEC M1-M4)."""

import pytest

from crm.cases import retention
from crm.compliance import demo
from crm.contacts.models import ConsentRecord, Contact
from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.demo import ADVICE_FIRM
from crm.firms.tests.factories import FirmFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_has_consent_versions_and_an_erasable_client():
    """Consent histories with two wording versions, and a client past retention."""
    firm = FirmFactory(name=ADVICE_FIRM)
    MembershipFactory(firm=firm, role=Role.OWNER)
    for _ in range(6):
        ContactFactory(firm=firm)
    demo.seed({ADVICE_FIRM: firm})
    demo.seed({ADVICE_FIRM: firm})  # a second run adds nothing
    versions = set(
        ConsentRecord.objects.filter(firm=firm).values_list("text_version", flat=True)
    )
    assert versions == {demo.OLD_MARKETING_VERSION, "marketing-2026-01"}
    assert ConsentRecord.objects.filter(firm=firm, given=False).count() == 3
    erasable = Contact.objects.get(firm=firm, email="dennis.archer@example.com")
    assert retention.contact_hold(firm=firm, contact=erasable) is None
