"""Who may see which cases: the one visibility policy for cases (SPEC A4, B11).

Every read of cases on behalf of someone (case pages of every kind, their
documents, tasks and interactions, the client record, search and exports)
narrows its queryset through ``case_visibility``.
"""

from typing import TYPE_CHECKING

from crm.core.permissions import Perm

if TYPE_CHECKING:
    from crm.cases.models import CaseQuerySet
    from crm.core.principals import Principal


def case_visibility(
    qs: "CaseQuerySet", principal: "Principal | None"
) -> "CaseQuerySet":
    """Narrow ``qs`` to the cases ``principal`` may see.

    "View all cases" sees everything; "View own cases only" sees the cases the
    principal's user owns; without either, nothing. ``None`` means a trusted
    caller (a job, a service acting for the system) and sees everything.
    """
    if principal is None or principal.has_perm(Perm.VIEW_ALL_CASES):
        return qs
    if principal.has_perm(Perm.VIEW_OWN_CASES) and principal.user_id is not None:
        return qs.filter(owner_id=principal.user_id)
    return qs.none()
