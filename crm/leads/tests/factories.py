"""Factories for leads and their history."""

import factory

from crm.contacts.tests.factories import ContactFactory
from crm.core.testing.isolation import register
from crm.leads.choices import LeadEventType, LeadSource, LeadStatus
from crm.leads.models import Lead, LeadEvent


class LeadFactory(factory.django.DjangoModelFactory[Lead]):
    class Meta:
        model = Lead

    contact = factory.SubFactory(ContactFactory)
    firm = factory.SelfAttribute("contact.firm")
    source = LeadSource.PHONE
    status = LeadStatus.NEW_LEAD


class LeadEventFactory(factory.django.DjangoModelFactory[LeadEvent]):
    class Meta:
        model = LeadEvent

    lead = factory.SubFactory(LeadFactory)
    firm = factory.SelfAttribute("lead.firm")
    type = LeadEventType.CREATED
    parameters = factory.LazyAttribute(lambda o: {"status": o.lead.status})


register("lead_id")(lambda firm: LeadFactory(contact__firm=firm))
