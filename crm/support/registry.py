"""What the support module adds to the registries (called from ``ready()``)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from crm.cases import kinds
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.firms.models import Firm, Membership
from crm.support import selectors
from crm.support.choices import SupportEventType, SupportKind, SupportStatus


def _served_cases(
    *, firm: Firm, contact: Contact, viewer: Membership | None
) -> dict[str, Any]:
    """Return the support cases the contact serves as an external service."""
    return {
        "served_cases": selectors.served_cases(
            firm=firm, contact=contact, viewer=viewer
        )
    }


def register() -> None:
    """Register the support kind and its history entries."""
    kinds.register(
        kinds.CaseKind(
            value=SupportKind.SUPPORT.value,
            label=_("Support"),
            reference_code="SUP",
            module="support",
            statuses=tuple(SupportStatus.choices),
            transitions={
                SupportStatus.OPEN.value: frozenset({SupportStatus.CLOSED.value}),
                SupportStatus.CLOSED.value: frozenset(),
            },
            closed_statuses=frozenset({SupportStatus.CLOSED.value}),
            start_statuses=(SupportStatus.OPEN.value,),
            detail_url_name="support:case_detail",
            titled=True,
            create_url_name="support:case_create",
            create_label=_("Create case"),
            list_url_name="support:case_list",
            order=30,
        )
    )
    events.register_types("case", SupportEventType.choices)
    sections.register(
        sections.Section(
            page="contact.record",
            key="served_cases",
            template="support/_served_cases.html",
            provider=_served_cases,
            region="side",
            order=20,
            module="support",
        )
    )
