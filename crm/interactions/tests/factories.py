"""Factories for interactions and notes."""

import factory
from django.utils import timezone

from crm.contacts.tests.factories import ContactFactory
from crm.firms.tests.factories import InteractionTypeFactory
from crm.interactions.choices import InteractionKind
from crm.interactions.models import Interaction


class InteractionFactory(factory.django.DjangoModelFactory[Interaction]):
    class Meta:
        model = Interaction

    contact = factory.SubFactory(ContactFactory)
    firm = factory.SelfAttribute("contact.firm")
    kind = InteractionKind.INTERACTION
    occurred_at = factory.LazyFunction(timezone.now)
    interaction_type = factory.SubFactory(
        InteractionTypeFactory, firm=factory.SelfAttribute("..firm")
    )
    notes = "Talked about the remortgage."


class NoteFactory(InteractionFactory):
    kind = InteractionKind.NOTE
    interaction_type = None
    notes = "Prefers e-mail."
