"""Factories for support cases, made through the support services."""

import itertools
from typing import Any

from crm.cases.models import Case
from crm.contacts.tests.factories import ContactFactory
from crm.core.testing.isolation import register
from crm.firms import selectors as firm_selectors
from crm.firms.models import Firm
from crm.firms.tests.factories import MembershipFactory
from crm.support import services
from crm.support.choices import ItemKind
from crm.support.models import ExternalService, Pathway, PlannedSupport, SupportItem


def _manager(firm: Firm) -> Any:
    membership = firm_selectors.owner_membership_qs(firm=firm).first()
    return (membership or MembershipFactory(firm=firm)).user


def make_support_case(
    firm: Firm,
    *,
    beneficiary: Any = None,
    manager: Any = None,
    title: str = "Housing support",
    **data: Any,
) -> Case:
    """Open a support case in ``firm`` (given the Support module) for a new contact."""
    if not firm.has_support:
        firm.has_support = True
        firm.save(update_fields=["has_support"])
    manager = manager or _manager(firm)
    return services.support_case_create(
        firm=firm,
        actor=manager,
        beneficiary=beneficiary or ContactFactory(firm=firm),
        data=services.SupportCaseData(title=title, case_manager=manager, **data),
    )


def make_item(
    case: Case, kind: str = ItemKind.NEED, text: str = "Stable housing"
) -> SupportItem:
    return services.item_add(
        firm=case.firm, actor=_manager(case.firm), case=case, kind=kind, text=text
    )


def make_plan(case: Case, description: str = "Weekly check-in call") -> PlannedSupport:
    return services.plan_add(
        firm=case.firm,
        actor=_manager(case.firm),
        case=case,
        data=services.PlanData(description=description),
    )


def make_link(case: Case, role: str = "GP") -> ExternalService:
    contact = ContactFactory(firm=case.firm)
    return services.service_link(
        firm=case.firm, actor=_manager(case.firm), case=case, contact=contact, role=role
    )


def make_pathway(firm: Firm, name: str = "") -> Pathway:
    name = name or f"Pathway {next(_PATHWAY_NUMBERS)}"
    return Pathway.objects.create(firm=firm, name=name)


_PATHWAY_NUMBERS = itertools.count(1)

register("support:case_id")(lambda firm: make_support_case(firm))
register("item_id")(lambda firm: make_item(make_support_case(firm)))
register("plan_id")(lambda firm: make_plan(make_support_case(firm)))
register("link_id")(lambda firm: make_link(make_support_case(firm)))
register("support:pathway_id")(lambda firm: make_pathway(firm))
