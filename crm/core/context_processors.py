"""Template context shared by every page."""

from django.http import HttpRequest

from crm.core import principals
from crm.core.permissions import Perm
from crm.core.shell import shell_context


def shell(request: HttpRequest) -> dict[str, object]:
    """Return the app shell's menus for the current member."""
    return {"shell": shell_context(request)}


class MemberPermissions:
    """What the current staff member may do, for templates: ``may.edit_cases``.

    A page shows an action only when ``may.<permission>`` is true, so a member
    never meets a button that answers 403 (issue 14). Anyone who is not a
    staff member may do nothing here.
    """

    def __init__(self, principal: principals.Principal | None) -> None:
        self._principal = principal

    def __getitem__(self, perm: str) -> bool:
        principal = self._principal
        if perm not in Perm.values or principal is None:
            return False
        if principal.kind != principals.STAFF:
            return False
        return bool(principal.has_perm(perm))


def permissions(request: HttpRequest) -> dict[str, object]:
    """Return ``may``: the current member's permissions by name."""
    return {"may": MemberPermissions(getattr(request, "principal", None))}
