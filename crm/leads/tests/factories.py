"""Factories for leads and their history."""

import factory

from crm.contacts.tests.factories import ContactFactory
from crm.core.testing.isolation import register
from crm.leads.choices import LeadEventType, LeadSource, LeadStatus
from crm.leads.models import Lead, LeadEvent
from crm.leads.tally import services as lead_tally


class LeadFactory(factory.django.DjangoModelFactory[Lead]):
    class Meta:
        model = Lead

    contact = factory.SubFactory(ContactFactory)
    firm = factory.SelfAttribute("contact.firm")
    source = LeadSource.PHONE
    status = LeadStatus.NEW_LEAD

    @classmethod
    def _create(cls, model_class: type[Lead], *args: object, **kwargs: object) -> Lead:
        """Save the lead and count it in the lead tally, as ``lead_create`` does."""
        lead: Lead = super()._create(model_class, *args, **kwargs)
        lead_tally.lead_moved(
            firm_id=lead.firm_id, before=None, after=lead_tally.state_of(lead)
        )
        return lead


class LeadEventFactory(factory.django.DjangoModelFactory[LeadEvent]):
    class Meta:
        model = LeadEvent

    lead = factory.SubFactory(LeadFactory)
    firm = factory.SelfAttribute("lead.firm")
    type = LeadEventType.CREATED
    parameters = factory.LazyAttribute(lambda o: {"status": o.lead.status})


register("lead_id")(lambda firm: LeadFactory(contact__firm=firm))
