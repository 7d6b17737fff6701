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
    from crm.firms.models import Firm

# ``provider(*, firm, principal)`` returns the ids of the cases ``principal``
# may see as a queryset of ``pk`` values, or None when they may see them all.
VisibleCaseIds = Callable[..., "QuerySet[Any] | None"]

_providers: list[VisibleCaseIds] = []


def register_visible_case_ids(provider: VisibleCaseIds) -> VisibleCaseIds:
    """Set the provider of visible case ids (the case kernel's policy)."""
    _providers[:] = [provider]
    return provider


def visible_case_ids(
    *, firm: "Firm", principal: "Principal | None"
) -> "QuerySet[Any] | None":
    """Return the ids of the cases ``principal`` may see, or None for all of them."""
    if not _providers:
        return None
    return _providers[0](firm=firm, principal=principal)
