"""What the income app adds to the registries (called from ``ready()``).

The case page's Income section, the history entries income writes, and the
listener that claws back commission when a policy lapses or is cancelled:
protection reports the end inside its status change, without knowing that
income exists.
"""

from typing import Any

from django.utils import timezone
from django.utils.safestring import mark_safe

from crm.advice.choices import AdviceKind
from crm.cases.models import Case
from crm.contacts.models import Contact
from crm.core import events, formdraw, sections
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.income import selectors, services
from crm.income.choices import IncomeEventType
from crm.income.forms import IncomeLineForm
from crm.protection import listeners as policy_listeners
from crm.protection import selectors as protection_selectors

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
    form = formdraw.form_html(
        IncomeLineForm,
        prefix="income",
        initial={"expected_on": today},
        policies=policies,
    )
    return {
        "income_lines": lines,
        # What ``{% include "components/_form_fields.html" with form=... %}``
        # drew: the fields between two newlines (the form drawn once per value,
        # ``crm.core.formdraw``).
        "income_form_html": mark_safe(f"\n{form}\n"),  # noqa: S308 - Django's drawing
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


def register() -> None:
    """Register the Income section, history entries and the clawback listener."""
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
    policy_listeners.register(services.policy_clawback)
