"""Topic handlers for the outbox, registered by higher apps in ``AppConfig.ready()``.

A handler delivers one message and says how it went::

    def deliver_submission(message: OutboxMessage) -> DeliveryResult:
        result = outbound.post_json(url=..., payload=message.payload,
                                    idempotency_key=message.idempotency_key)
        return DeliveryResult.from_http(result)

    register_handler("partner.submission", deliver_submission)

The worker calls the handler inside ``scope(firm=message.firm_id)`` and outside
any database transaction. An optional ``on_outcome`` hook runs inside the
transaction that records the attempt, so a higher app can update its own rows
(a submission's status, say) together with the outbox row. A topic may give
``on_outcomes`` instead: the worker records a claimed batch in one
transaction and calls it once per firm with every (message, attempt) pair of
that firm, so the app can write its rows in a few statements, not a few per
message.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm.core.outbound import HttpResult

if TYPE_CHECKING:
    from crm.core.outbox.models import DeliveryAttempt, OutboxMessage


@dataclass(frozen=True)
class DeliveryResult:
    """How one delivery try went, as a handler reports it.

    ``retryable`` matters only when ``ok`` is false: a non-retryable failure
    (a 4xx answer, say) marks the message failed at once. ``retry_after`` is
    the partner's ``Retry-After`` in seconds: the next try waits at least
    that long.
    """

    ok: bool
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""
    retryable: bool = True
    retry_after: float | None = None

    @classmethod
    def from_http(cls, result: HttpResult) -> "DeliveryResult":
        """Return the delivery result for an outbound HTTP result."""
        return cls(
            ok=result.ok,
            status_code=result.status_code,
            excerpt=result.excerpt(),
            error=result.error,
            retryable=result.retryable,
            retry_after=retry_after_seconds(result.headers.get("retry-after", "")),
        )


def retry_after_seconds(value: str) -> float | None:
    """Return a ``Retry-After`` header's delay in seconds (HTTP-date: None)."""
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


Handler = Callable[["OutboxMessage"], DeliveryResult]
OutcomeHook = Callable[["OutboxMessage", "DeliveryAttempt"], None]
Outcome = tuple["OutboxMessage", "DeliveryAttempt"]
OutcomesHook = Callable[[list[Outcome]], None]


@dataclass(frozen=True)
class _Registration:
    handler: Handler
    on_outcome: OutcomeHook | None
    on_outcomes: OutcomesHook | None = None


_REGISTRY: dict[str, _Registration] = {}


def register_handler(
    topic: str,
    handler: Handler,
    *,
    on_outcome: OutcomeHook | None = None,
    on_outcomes: OutcomesHook | None = None,
) -> None:
    """Register ``handler`` (and optionally ``on_outcome`` or ``on_outcomes``).

    ``on_outcomes`` takes a list of one firm's (message, attempt) pairs; give
    one hook or the other, not both.

    Registering the same functions again is harmless; registering different
    ones for a topic that has a handler raises ``ValueError``.
    """
    if on_outcome is not None and on_outcomes is not None:
        msg = f"Give topic {topic!r} on_outcome or on_outcomes, not both."
        raise ValueError(msg)
    registration = _Registration(
        handler=handler, on_outcome=on_outcome, on_outcomes=on_outcomes
    )
    existing = _REGISTRY.get(topic)
    if existing is not None and existing != registration:
        msg = f"Topic {topic!r} already has a handler: {existing.handler!r}."
        raise ValueError(msg)
    _REGISTRY[topic] = registration


def handler_for(topic: str) -> Handler | None:
    """Return the handler registered for ``topic``, or None."""
    registration = _REGISTRY.get(topic)
    return registration.handler if registration else None


def outcome_hook_for(topic: str) -> OutcomeHook | None:
    """Return the outcome hook registered for ``topic``, or None."""
    registration = _REGISTRY.get(topic)
    return registration.on_outcome if registration else None


def outcomes_hook_for(topic: str) -> OutcomesHook | None:
    """Return the hook that records a batch of ``topic``'s outcomes, or None.

    A topic that registered ``on_outcome`` gets a hook that calls it for
    each pair in turn.
    """
    registration = _REGISTRY.get(topic)
    if registration is None:
        return None
    if registration.on_outcomes is not None:
        return registration.on_outcomes
    single = registration.on_outcome
    if single is None:
        return None

    def each(outcomes: list[Outcome]) -> None:
        for message, attempt in outcomes:
            single(message, attempt)

    return each


def registered_topics() -> list[str]:
    """Return the topics that have a handler, sorted."""
    return sorted(_REGISTRY)
