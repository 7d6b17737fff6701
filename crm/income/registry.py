"""What the income app adds to the registries (called from ``ready()``).

The case page's Income section, the history entries income writes, and the
subscriber that claws back commission when a policy lapses or is cancelled:
the protection app records the status change, and this app hears of it once
the change is committed, without protection knowing that income exists.
"""

from typing import Any

from django.utils import timezone
from django_scopes import scope

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.principals import Principal
from crm.firms.models import Firm, User
from crm.income import selectors, services
from crm.income.choices import IncomeEventType
from crm.income.forms import IncomeLineForm, ReceiveForm
from crm.protection import selectors as protection_selectors
from crm.protection.choices import ENDED_STATUSES, ProtectionEventType
from crm.protection.models import Policy

SECTION_ID = "income"


def _income_section(
    *, firm: Firm, case: Case, contact: Contact | None, principal: Principal | None
) -> dict[str, Any]:
    """Return the case's income lines and the add form, for the case page."""
    today = timezone.localdate()
    lines = selectors.case_income_lines(firm=firm, case=case)
    for line in lines:
        line.status = line.status_on(today)  # type: ignore[attr-defined]  # for the template
    policies = (
        protection_selectors.case_policies(firm=firm, case=case)
        if case.kind == AdviceKind.PROTECTION
        else []
    )
    return {
        "income_lines": lines,
        "income_form": IncomeLineForm(
            policies=policies, auto_id="income_%s", initial={"expected_on": today}
        ),
        "receive_form": ReceiveForm(initial={"received_on": today}),
        "income_today": today,
    }


def _line(type: IncomeEventType) -> events.Formatter:
    def line(params: dict[str, Any]) -> str:
        title = f"{type.label}: {params.get('line', '')}"
        if params.get("received"):
            title = f"{title}, £{params['received']} received"
        if params.get("amount"):
            title = f"{title}, £{params['amount']} clawed back"
        return title

    return line


def _ended_policy_id(event: events.RecordedEvent) -> int | None:
    """Return the policy of a "policy updated" event that lapsed or cancelled it."""
    if event.type != ProtectionEventType.POLICY_UPDATED:
        return None
    status = event.changes.get("status")
    if not status or status[-1] not in ENDED_STATUSES:
        return None
    policy_id = event.params.get("policy_id")
    return policy_id if isinstance(policy_id, int) else None


def claw_back_on_policy_end(event: events.RecordedEvent) -> None:
    """Claw back commission when a policy lapses or is cancelled (L3)."""
    policy_id = _ended_policy_id(event)
    if policy_id is None:
        return
    firm = Firm.objects.get(pk=event.firm_id)
    with scope(firm=firm):
        policy = Policy.objects.filter(firm=firm, pk=policy_id).first()
        if policy is None:
            return
        actor = (
            User.objects.filter(pk=event.actor_id).first()
            if event.actor_id is not None
            else None
        )
        services.policy_clawback(
            firm=firm, actor=actor, policy=policy, ended=timezone.localdate()
        )


def register() -> None:
    """Register the Income section, history entries and the clawback subscriber."""
    for type in IncomeEventType:
        events.register("case", type, type.label, _line(type))
    sections.register(
        sections.Section(
            page="case.page",
            key="income",
            template="income/_for_case.html",
            provider=_income_section,
            region="main",
            order=60,
            module="advice",
            kinds=(AdviceKind.MORTGAGE.value, AdviceKind.PROTECTION.value),
        )
    )
    events.subscribe(claw_back_on_policy_end)
