"""Who hears that a policy ended (lapsed or was cancelled), inside the change.

A higher app (income, for its clawbacks) registers a listener in its
``AppConfig.ready()``; ``policy_update`` calls each one in its own
transaction, so the status change and what follows from it commit together.
Protection never learns which apps listen.
"""

import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from crm.firms.models import Firm, User
    from crm.protection.models import Policy


class PolicyEndedListener(Protocol):
    """Called with the policy that lapsed or was cancelled, and the day."""

    def __call__(
        self,
        *,
        firm: "Firm",
        actor: "User | None",
        policy: "Policy",
        ended: datetime.date,
    ) -> object: ...


_LISTENERS: list[PolicyEndedListener] = []


def register(listener: PolicyEndedListener) -> PolicyEndedListener:
    """Call ``listener`` whenever a policy ends; registering twice is a no-op."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def policy_ended(
    *, firm: "Firm", actor: "User | None", policy: "Policy", ended: datetime.date
) -> None:
    """Tell every listener that ``policy`` ended on ``ended``."""
    for listener in _LISTENERS:
        listener(firm=firm, actor=actor, policy=policy, ended=ended)
