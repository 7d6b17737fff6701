"""Stored ranks put right after the case-kind registry changes.

``Case.kind_rank`` (the kind's ``order``) and ``Case.status_rank`` (the
status's place in pipeline order) are copies of the registry, stored so that
the lists sorted by kind or status read an index. Registering a new kind
leaves every kind rank right; changing a kind's ``order``, or adding or
reordering statuses, does not: the ``cases.W001`` check (``migrate``,
``check --database``) says so, and a data migration calling
:func:`case_ranks_refresh` puts them right.
"""

from django.db import transaction
from django_scopes import scopes_disabled

from crm.cases import kinds
from crm.cases.models import Case


def case_ranks_refresh(*, using: str = "default") -> int:
    """Set every case's kind and status ranks from the registry; return rows changed.

    One UPDATE a kind and one a status, each touching only the cases whose
    stored rank differs (none, when nothing changed). Across every firm: it
    is for data migrations and operators, outside any firm's scope.
    """
    changed = 0
    with transaction.atomic(using=using), scopes_disabled():
        cases = Case.objects.using(using)
        for kind in kinds.all_kinds():
            rank = kinds.kind_rank(kind.value)
            changed += (
                cases.filter(kind=kind.value)
                .exclude(kind_rank=rank)
                .update(kind_rank=rank)
            )
        for value, _label in kinds.status_choices():
            rank = kinds.status_rank(value)
            changed += (
                cases.filter(status=value)
                .exclude(status_rank=rank)
                .update(status_rank=rank)
            )
    return changed


def stale_ranks(*, using: str = "default") -> list[str]:
    """Return a line for each stored rank the registry no longer gives.

    One pass over the cases (the distinct kind, status and ranks stored).
    """
    found: list[str] = []
    with scopes_disabled():
        stored = (
            Case.objects.using(using)
            .order_by()
            .values_list("kind", "kind_rank", "status", "status_rank")
            .distinct()
        )
        for kind, kind_rank, status, status_rank in stored:
            if kinds.find(kind) is not None and kinds.kind_rank(kind) != kind_rank:
                found.append(
                    f"kind {kind!r}: stored rank {kind_rank}, "
                    f"registry {kinds.kind_rank(kind)}"
                )
            if (
                status in dict(kinds.status_choices())
                and kinds.status_rank(status) != status_rank
            ):
                found.append(
                    f"status {status!r}: stored rank {status_rank}, "
                    f"registry {kinds.status_rank(status)}"
                )
    return sorted(set(found))
