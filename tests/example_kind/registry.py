"""The example kind's registrations: kind, history entry and a record section."""

from typing import Any

from crm.cases import kinds
from crm.contacts.models import Contact
from crm.core import events, sections
from crm.core.principals import Principal
from crm.firms.models import Firm

GRANT = "grant"
STATUSES = (
    ("drafting", "Drafting"),
    ("submitted", "Submitted"),
    ("awarded", "Awarded"),
)


def _grants(
    *, firm: Firm, contact: Contact, principal: Principal | None
) -> dict[str, Any]:
    # No query: the section is on every client record the test suite renders,
    # whose query counts are asserted exactly.
    return {"grant_label": kinds.get(GRANT).label}


def register() -> None:
    """Register the grant kind, one history entry and a client-record card."""
    kinds.register(
        kinds.CaseKind(
            value=GRANT,
            label="Grant",
            reference_code="GRT",
            # No firm has a "grants" module (Firm.has_grants), so real firms'
            # pages never offer the kind; the tests make its cases directly.
            module="grants",
            statuses=STATUSES,
            transitions={
                "drafting": frozenset({"submitted"}),
                "submitted": frozenset({"awarded", "drafting"}),
                "awarded": frozenset(),
            },
            closed_statuses=frozenset({"awarded"}),
            start_statuses=("drafting",),
            detail_url_name="example_kind:grant_detail",
            order=90,
        )
    )
    events.register_types("case", [("grant_scored", "Grant application scored")])
    sections.register(
        sections.Section(
            page="contact.record",
            key="grants",
            template="example_kind/_grants.html",
            provider=_grants,
            region="side",
            order=90,
        )
    )
