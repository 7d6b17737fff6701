"""Which cases a principal may see, for the apps below ``crm.cases`` (B11).

The one case visibility policy lives in ``crm.cases.policies``. The client
timeline (``crm.contacts``) sits below the case kernel and cannot import it,
yet its entries about a case (opened, moved, a document, a task, a note) must
follow the case's visibility. ``crm.cases`` registers the policy's answer here
in ``AppConfig.ready()``; a timeline entry about a case names it in its
parameters as ``case_id``.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from crm.core.principals import Principal

# ``rule(principal)`` returns the principal's rule as plain values, e.g.
# ``{"seen": "own", "viewer_id": 7}`` (the arguments of a prepared read);
# ``ids_as(*, firm_id, seen, viewer_id=None)`` the ids of the firm's cases that
# rule keeps, as a queryset of ``pk`` values, or None when it keeps them all.
Rule = Callable[["Principal | None"], dict[str, Any]]
IdsAs = Callable[..., "QuerySet[Any] | None"]

_providers: list[tuple[Rule, IdsAs]] = []


def register_visible_case_ids(*, rule: Rule, ids_as: IdsAs) -> None:
    """Set the case visibility policy's rule and ids (the case kernel's)."""
    _providers[:] = [(rule, ids_as)]


def rule_of(principal: "Principal | None") -> dict[str, Any]:
    """Return ``principal``'s rule for cases as plain values ("all" if none is set)."""
    return _providers[0][0](principal) if _providers else {"seen": "all"}


def visible_case_ids_as(
    *, firm_id: int, seen: str, viewer_id: int | None = None
) -> "QuerySet[Any] | None":
    """Return the ids of the cases a rule of ``rule_of`` keeps, or None for all."""
    if not _providers:
        return None
    return _providers[0][1](firm_id=firm_id, seen=seen, viewer_id=viewer_id)
