"""Who may see which cases: the one visibility policy for cases (SPEC A4, B11).

Every read of cases on behalf of someone (case pages of every kind, their
documents, tasks and interactions, the client record, search and exports)
narrows its queryset through ``case_visibility``.
"""

from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet

from crm.cases.models import Case
from crm.core.permissions import Perm

M = TypeVar("M", bound=Model)

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
    return case_visibility_as(qs, **child_visibility_of(principal))


def case_visibility_as(
    qs: "CaseQuerySet", *, seen: str, viewer_id: int | None = None
) -> "CaseQuerySet":
    """Apply a rule of ``child_visibility_of`` (the same for cases) to ``qs``."""
    if seen == "all":
        return qs
    if seen == "own":
        return qs.filter(owner_id=viewer_id)
    return qs.none()


def case_child_visibility(
    qs: "QuerySet[M]", principal: "Principal | None", *, via: str = "case"
) -> "QuerySet[M]":
    """Narrow rows that may hang off a case (tasks, notes, documents) for ``principal``.

    A row whose ``via`` case is empty belongs to no case and stays; a row on
    a case stays only if ``case_visibility`` would keep that case. This is the
    same rule as ``case_visibility``, read through the row's foreign key, so a
    list of rows needs no extra query.
    """
    return child_visibility_as(qs, via=via, **child_visibility_of(principal))


def child_visibility_of(principal: "Principal | None") -> dict[str, Any]:
    """Return ``principal``'s rule for cases and their rows as plain values.

    ``{"seen": "all"}``, ``{"seen": "own", "viewer_id": <their user's id>}``
    or ``{"seen": "none"}``: the arguments of a prepared read
    (``crm.core.prepared``), which compiles each rule once.
    """
    if principal is None or principal.has_perm(Perm.VIEW_ALL_CASES):
        return {"seen": "all"}
    if principal.has_perm(Perm.VIEW_OWN_CASES) and principal.user_id is not None:
        return {"seen": "own", "viewer_id": principal.user_id}
    return {"seen": "none"}


def child_visibility_as(
    qs: "QuerySet[M]", *, seen: str, viewer_id: int | None = None, via: str = "case"
) -> "QuerySet[M]":
    """Apply a rule of ``child_visibility_of`` to ``qs``."""
    if seen == "all":
        return qs
    no_case = Q(**{f"{via}__isnull": True})
    if seen == "own":
        return qs.filter(no_case | Q(**{f"{via}__owner_id": viewer_id}))
    return qs.filter(no_case)


def visible_case_ids_as(
    *, firm_id: int, seen: str, viewer_id: int | None = None
) -> "QuerySet[Any] | None":
    """Return the ids of the cases a rule of ``child_visibility_of`` keeps.

    None when it keeps them all. Registered in ``crm.core.visibility`` (with
    ``child_visibility_of``) for the apps below the kernel.
    """
    if seen == "all":
        return None
    cases = Case.objects.filter(firm_id=firm_id)
    return case_visibility_as(cases, seen=seen, viewer_id=viewer_id).values("pk")


def visible_owner(
    principal: "Principal | None", owner_id: int | None
) -> tuple[bool, int | None]:
    """Return whether ``principal`` sees any case, and the owner to count by.

    The summary rows (``crm.cases.tally``) know cases by owner, so a member
    limited to own cases is an owner filter on their user: ``(True, their
    id)``, or ``(False, None)`` when the filter names someone else. ``None``
    as the owner means everyone's cases.
    """
    if principal is None or principal.has_perm(Perm.VIEW_ALL_CASES):
        return True, owner_id
    if principal.has_perm(Perm.VIEW_OWN_CASES) and principal.user_id is not None:
        if owner_id is not None and owner_id != principal.user_id:
            return False, None
        return True, principal.user_id
    return False, None
