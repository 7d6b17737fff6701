"""Demo interactions and notes: on contacts and leads, and safe to seed twice."""

import pytest

from crm.contacts.tests.factories import ContactFactory
from crm.firms.choices import Role
from crm.firms.demo import ADVICE_FIRM, SUPPORT_FIRM
from crm.firms.tests.factories import InteractionTypeFactory, MembershipFactory
from crm.interactions import demo
from crm.interactions.models import Interaction
from crm.leads.tests.factories import LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(firm, support_firm):
    """Both demo firms with members, types, contacts and (advice) leads."""
    for f in (firm, support_firm):
        MembershipFactory(firm=f, role=Role.OWNER)
        InteractionTypeFactory(firm=f)
        ContactFactory.create_batch(4, firm=f)
    InteractionTypeFactory(firm=support_firm, name="Home visit")
    LeadFactory.create_batch(3, contact__firm=firm)
    return {ADVICE_FIRM: firm, SUPPORT_FIRM: support_firm}


def test_seed_logs_on_contacts_and_leads_once(firms):
    """Both firms get interactions and notes; a second run adds nothing."""
    demo.seed(firms)
    counts = {
        name: Interaction.objects.filter(firm=f).count() for name, f in firms.items()
    }
    demo.seed(firms)
    advice = Interaction.objects.filter(firm=firms[ADVICE_FIRM])
    assert {
        name: Interaction.objects.filter(firm=f).count() for name, f in firms.items()
    } == counts
    assert advice.filter(lead__isnull=False).exists()
    assert advice.filter(lead__isnull=True).exists()
    assert advice.filter(kind="note").exists()
    support = Interaction.objects.filter(firm=firms[SUPPORT_FIRM])
    assert support.filter(kind="interaction").exists()


def test_every_note_fits_its_interaction_type(firms):
    """Issue 14 item 9: a voicemail is a phone call, a home visit is a visit."""
    for name in ("Phone call", "E-mail", "Meeting"):
        InteractionTypeFactory(firm=firms[ADVICE_FIRM], name=name)
    for name in ("Phone call", "Text message", "Office appointment"):
        InteractionTypeFactory(firm=firms[SUPPORT_FIRM], name=name)

    demo.seed(firms)

    for name, by_type in (
        (ADVICE_FIRM, demo.ADVICE_NOTES),
        (SUPPORT_FIRM, demo.SUPPORT_NOTES),
    ):
        logged = Interaction.objects.filter(
            firm=firms[name], kind="interaction"
        ).select_related("interaction_type")
        assert logged.values("interaction_type").distinct().count() >= 3
        for interaction in logged:
            assert interaction.interaction_type is not None
            kind = interaction.interaction_type.name
            fitting = by_type.get(kind, demo.OTHER_NOTES)
            assert interaction.notes in fitting, (kind, interaction.notes)
