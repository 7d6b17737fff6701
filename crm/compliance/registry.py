"""What the compliance app adds to pages it does not own (STYLE B11)."""

from typing import Any

from crm.compliance import selectors
from crm.contacts.models import Contact
from crm.core import audit, nav, sections
from crm.core.permissions import Perm
from crm.firms.models import Firm


def _contact_section(
    *, firm: Firm, contact: Contact, principal: Any = None
) -> dict[str, Any]:
    consents = selectors.consents_shown_for(firm=firm, contact=contact)
    return {
        "current_consents": list(selectors.current_consents(consents).values()),
        "consent_count": len(consents),
    }


def register() -> None:
    """Register the settings item, the client record's section and record names."""
    nav.register(
        nav.SETTINGS,
        nav.NavItem(
            "Retention",
            "compliance:retention_settings",
            order=70,
            perm=Perm.MANAGE_FIRM,
        ),
    )
    sections.register(
        sections.Section(
            page="contact.record",
            key="consents",
            template="compliance/_contact_consents.html",
            provider=_contact_section,
            region="side",
            order=90,
        )
    )
    audit.name_records(
        {
            "compliance.subjectaccessexport": "Subject access export",
            "contacts.consentrecord": "Consent record",
            "cases.retentionperiod": "Retention periods",
        }
    )
