"""The client principal: a portal account acting in its own firm (SPEC H1).

``crm.portal.apps`` registers ``resolve_client`` with ``crm.core.principals``.
A client's login lives in the session under its own keys, apart from Django's
staff login, so a client is never a staff ``User`` and holds no permission.
"""

from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from django_scopes import scopes_disabled

from crm.contacts.models import Contact
from crm.core import principals
from crm.firms.models import Firm
from crm.portal.models import PortalAccount

SESSION_ACCOUNT_KEY = "portal_account_id"
SESSION_HASH_KEY = "portal_account_hash"


@dataclass(frozen=True)
class ClientPrincipal:
    """A client logged in to the portal; they see only their own cases."""

    account: PortalAccount

    @property
    def kind(self) -> str:
        """Return ``principals.CLIENT``."""
        return principals.CLIENT

    @property
    def firm(self) -> Firm:
        """Return the firm the client is a client of."""
        return self.account.firm

    @property
    def contact(self) -> Contact:
        """Return the client's contact record."""
        return self.account.contact

    @property
    def user(self) -> None:
        """Return None: a client is not a staff user."""
        return None

    @property
    def user_id(self) -> None:
        """Return None: a client is not a staff user."""
        return None

    @property
    def membership(self) -> None:
        """Return None: a client is not a member."""
        return None

    @property
    def label(self) -> str:
        """Return the client's name for the audit log."""
        return f"{self.account.contact} (client)"

    def has_perm(self, perm: str) -> bool:
        """Return False: staff permissions never apply to a client."""
        return False


def _session_hash(account: PortalAccount) -> str:
    """Return a value that changes when the account's password changes."""
    return salted_hmac(
        "crm.portal.session", account.password, algorithm="sha256"
    ).hexdigest()


def session_login(session: SessionBase, account: PortalAccount) -> None:
    """Log ``account`` in on ``session`` (a new session key, against fixation)."""
    session.cycle_key()
    session[SESSION_ACCOUNT_KEY] = account.pk
    session[SESSION_HASH_KEY] = _session_hash(account)


def session_logout(session: SessionBase) -> None:
    """Log the client out of ``session``, leaving any staff login alone."""
    session.pop(SESSION_ACCOUNT_KEY, None)
    session.pop(SESSION_HASH_KEY, None)
    session.cycle_key()


def resolve_client(request: HttpRequest) -> ClientPrincipal | None:
    """Return the portal client logged in on ``request``'s session, or None.

    An account that was deactivated, or whose password changed since this
    session logged in, is logged out.
    """
    account_id = request.session.get(SESSION_ACCOUNT_KEY)
    if not isinstance(account_id, int):
        return None
    with scopes_disabled():
        account = (
            PortalAccount.objects.select_related("firm", "contact")
            .filter(pk=account_id, is_active=True)
            .first()
        )
    if account is None or not constant_time_compare(
        request.session.get(SESSION_HASH_KEY, ""), _session_hash(account)
    ):
        return None
    return ClientPrincipal(account)
