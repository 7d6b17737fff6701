"""Reads about interactions and notes (J2)."""

from django.db.models import QuerySet
from django.db.models.functions import Lower

from crm.cases.policies import case_child_visibility
from crm.contacts.models import Contact
from crm.core.principals import Principal
from crm.firms.models import Firm, InteractionType
from crm.interactions.models import Interaction
from crm.leads.models import Lead


def interaction_list_for(
    *,
    firm: Firm,
    principal: Principal | None,
    contact: Contact | None = None,
    lead: Lead | None = None,
) -> QuerySet[Interaction]:
    """Return the interactions and notes on a contact (its leads' too) or a lead.

    Newest first, with the type and author loaded for each row; one on a case
    ``principal`` may not see is left out.
    """
    if (contact is None) == (lead is None):
        msg = "Pass exactly one of contact or lead."
        raise ValueError(msg)
    qs = case_child_visibility(
        Interaction.objects.filter(firm=firm), principal
    ).select_related("interaction_type", "created_by", "case")
    qs = qs.filter(lead=lead) if lead is not None else qs.filter(contact=contact)
    return qs.order_by("-occurred_at", "-id")


def interaction_type_choices(*, firm: Firm) -> QuerySet[InteractionType]:
    """Return the firm's active interaction types, by name, for the type picker."""
    return InteractionType.objects.filter(firm=firm, is_active=True).order_by(
        Lower("name"), "id"
    )
