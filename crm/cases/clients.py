"""A case's clients as lists show them: the record's id and the name.

``crm.cases.selectors.attach_clients`` sets them on the cases of a page with
one narrow query; ``Case.clients`` reads them, or the prefetched applicants
where a page loaded those.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm.core.links import reverse_ids

if TYPE_CHECKING:
    from crm.cases.models import Case

# The attribute ``attach_clients`` sets on each case.
ATTACHED = "listed_clients"


@dataclass(frozen=True, slots=True)
class CaseClient:
    """A client on a case as a list shows them: the record's id and the name."""

    contact_id: int
    display_name: str

    def get_absolute_url(self) -> str:
        """Return the client's record."""
        return reverse_ids("contacts:contact_detail", contact_id=self.contact_id)


def clients_of(case: "Case") -> list[CaseClient]:
    """Return the case's clients (as ``attach_clients`` set them, else applicants)."""
    attached: list[CaseClient] | None = case.__dict__.get(ATTACHED)
    if attached is not None:
        return attached
    return [
        CaseClient(applicant.contact_id, applicant.contact.display_name)
        for applicant in case.applicants.all()
    ]
