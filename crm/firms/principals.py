"""The staff principal: a member acting in one of their firms.

``crm.firms.apps`` registers ``resolve_staff`` with ``crm.core.principals``,
so ``FirmContextMiddleware`` finds staff members without importing firms.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from crm.core import principals
from crm.core.middleware import SESSION_FIRM_KEY
from crm.firms.models import Firm, Membership, User
from crm.firms.selectors import membership_list_for_user


@dataclass(frozen=True)
class StaffPrincipal:
    """A member of ``firm``; permissions come from the membership's role."""

    membership: Membership

    @property
    def kind(self) -> str:
        """Return ``principals.STAFF``."""
        return principals.STAFF

    @property
    def firm(self) -> Firm:
        """Return the firm the member is acting in."""
        return self.membership.firm

    @property
    def user(self) -> User:
        """Return the member's user account."""
        return self.membership.user

    @property
    def user_id(self) -> int:
        """Return the member's user id without loading the user."""
        return self.membership.user_id

    @property
    def label(self) -> str:
        """Return the member's name (or e-mail address) for the audit log."""
        return str(self.membership.user)

    def has_perm(self, perm: str) -> bool:
        """Return whether the membership holds ``perm``."""
        return self.membership.has_perm(perm)


def staff_principal(membership: Membership | None) -> StaffPrincipal | None:
    """Return the principal acting as ``membership`` (None for None)."""
    return StaffPrincipal(membership) if membership is not None else None


def resolve_staff(request: HttpRequest) -> StaffPrincipal | None:
    """Return the member acting in ``request``'s session firm, or None.

    Also attach ``request.memberships`` (the firm switcher's list): every
    active membership of the user, by firm name. A session firm the user is
    not a member of falls back to their first firm.
    """
    memberships: list[Membership] = []
    membership = None
    if request.user.is_authenticated:
        memberships = membership_list_for_user(user=request.user)
        wanted = request.session.get(SESSION_FIRM_KEY)
        membership = next(
            (m for m in memberships if m.firm_id == wanted),
            memberships[0] if memberships else None,
        )
    request.memberships = memberships  # type: ignore[attr-defined]  # the firm switcher reads it
    return staff_principal(membership)
