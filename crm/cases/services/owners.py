"""A case's owner as the lists sort it: ``Case.owner_sort_name``.

Every service that sets or changes a case's owner (opening a case, the
kinds' edits, a support reassignment) stores :func:`owner_sort_name` beside
it; a member's rename reaches the cases they own through
:func:`case_owner_names_refresh`, which the cases app registers with the
member rename registry (``crm.firms.renames``): the firms services cannot
import the cases app.
"""

from collections.abc import Collection

from django_scopes import scopes_disabled

from crm.cases.models import Case
from crm.firms.models import Membership, User


def owner_sort_name(owner: User | None) -> str | None:
    """Return ``Case.owner_sort_name`` for ``owner``: the full name, None if none."""
    return owner.full_name if owner is not None else None


def case_owner_names_refresh(*, user_ids: Collection[int]) -> int:
    """Copy the names of the members ``user_ids`` onto the cases they own.

    A member is one user in every firm they belong to, so their cases in each
    of those firms follow: one UPDATE a member, read through the firm-led
    owner index of each of their firms. Returns the number of cases updated.
    No event of its own: the rename that calls it records one. Runs across
    firms, so outside any one firm's scope.
    """
    updated = 0
    with scopes_disabled():
        for user in User.objects.filter(pk__in=list(user_ids)).order_by("pk"):
            firms = Membership.objects.filter(user=user).values("firm_id")
            updated += Case.objects.filter(firm_id__in=firms, owner=user).update(
                owner_sort_name=owner_sort_name(user)
            )
    return updated
