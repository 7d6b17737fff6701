"""Locks on a case's data, registered by the apps that hold them (SPEC G4).

A higher app that sends a case's data to a partner that accepts no edits
(Concert Hub) registers a provider here; the services that change that data
call :func:`ensure_unlocked` and refuse the change with the provider's reason.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from crm.core.exceptions import ApplicationError

if TYPE_CHECKING:
    from crm.cases.models import Case
    from crm.firms.models import Firm

LockProvider = Callable[["Firm", "Case"], str]

_PROVIDERS: dict[str, LockProvider] = {}


def register(key: str, provider: LockProvider) -> None:
    """Add a provider: ``provider(firm, case)`` returns why it is locked, or ""."""
    existing = _PROVIDERS.get(key)
    if existing is not None and existing is not provider:
        msg = f"Lock provider {key!r} is registered twice."
        raise ValueError(msg)
    _PROVIDERS[key] = provider


def lock_reason(firm: "Firm", case: "Case") -> str:
    """Return why ``case``'s submitted data may not change now, or ""."""
    for provider in _PROVIDERS.values():
        reason = provider(firm, case)
        if reason:
            return reason
    return ""


def ensure_unlocked(firm: "Firm", case: "Case") -> None:
    """Raise ``ApplicationError`` (code "locked") if ``case``'s data is locked."""
    reason = lock_reason(firm, case)
    if reason:
        raise ApplicationError(reason, "locked")
