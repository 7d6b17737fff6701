"""What the protection app adds to the registries (called from ``ready()``)."""

from typing import Any

from django.urls import reverse

from crm.advice import readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind.selectors import CaseFacts
from crm.advice.readiness import Blocker
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.protection import selectors
from crm.protection.choices import BenefitType, ProtectionEventType
from crm.protection.forms import PolicyForm
from crm.protection.models import REQUIRED_FIELDS

SECTION_ID = "protection-policies"
ADD_PREFIX = "policy_add"


def add_anchor() -> str:
    """Return the id of the add-policy form's first input."""
    return f"{ADD_PREFIX}_provider"


def policy_blockers(*, firm: Firm, case: Case, facts: CaseFacts) -> list[Blocker]:
    """Return what the case's policies lack for a Concert Hub submission.

    At least one policy; on each, the four fields a submission requires
    (G1); and no benefit type Concert Hub does not take (seed 003).
    """
    if case.kind != AdviceKind.PROTECTION:
        return []
    policies = selectors.case_policies(firm=firm, case=case)
    page = case.get_absolute_url()
    if not policies:
        return [
            Blocker(
                "Protection policies",
                "policies",
                "At least one policy",
                f"{page}#{add_anchor()}",
            )
        ]
    found = []
    for number, policy in enumerate(policies, start=1):
        title = f"Policy {number}: {policy}"
        edit = reverse("protection:policy_edit", kwargs={"policy_id": policy.pk})
        for name, label in REQUIRED_FIELDS:
            if getattr(policy, name) in (None, ""):
                found.append(Blocker(title, name, str(label), f"{edit}#id_{name}"))
        if policy.is_unsupported:
            label = BenefitType(policy.benefit_type).label
            found.append(
                Blocker(
                    title,
                    "benefit_type",
                    f"{label} is not supported by Concert Hub: change or remove it",
                    f"{page}#{policy.anchor}",
                )
            )
    return found


def _policies_section(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's policies and an empty add form for the case page."""
    return {
        "policies": selectors.case_policies(firm=firm, case=case),
        "policy_form": PolicyForm(auto_id=f"{ADD_PREFIX}_%s"),
    }


def _policy_line(type: ProtectionEventType) -> events.Formatter:
    def line(params: dict[str, Any]) -> events.HistoryLine:
        title = f"{type.label}: {params.get('policy', '')}"
        if params.get("premium"):
            title = f"{title}, £{params['premium']} a month"
        if params.get("reference"):
            title = f"{type.label}: {params['reference']}"
        return events.HistoryLine(title, changes=params.get("changes", {}))

    return line


def _board_premiums(*, firm: Firm, cases: list[Case]) -> dict[str, Any]:
    """Return each protection card's premium a month, for the board (D2)."""
    totals = selectors.monthly_premiums(firm=firm, case_ids=[c.pk for c in cases])
    return {
        "card_figures": {
            case_id: f"£{total:,.2f} a month" for case_id, total in totals.items()
        }
    }


def register() -> None:
    """Register policy history entries, the case page section and blockers."""
    for type in ProtectionEventType:
        events.register("case", type, type.label, _policy_line(type))
    sections.register(
        sections.Section(
            page="case.page",
            key="protection_policies",
            template="protection/_policies.html",
            provider=_policies_section,
            region="main",
            order=10,
            module="advice",
            kinds=(AdviceKind.PROTECTION.value,),
        )
    )
    sections.register(
        sections.Section(
            page="case.board",
            key="protection_premiums",
            template="",
            provider=_board_premiums,
            module="advice",
            kinds=(AdviceKind.PROTECTION.value,),
        )
    )
    readiness.register("protection_policies", policy_blockers, order=20)
