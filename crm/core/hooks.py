"""A named set of hooks that higher apps register in ``AppConfig.ready()``.

Lower apps keep such a set for the copies of their data that apps above them
hold (e.g. a case's copy of its client's or owner's name): the lower service
calls every hook without importing the apps that registered them.
"""

from collections.abc import Callable
from typing import Any


class Hooks:
    """Hooks by key; a key registered twice with another hook is refused."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._hooks: dict[str, Callable[..., Any]] = {}

    def register(self, key: str, hook: Callable[..., Any]) -> Callable[..., Any]:
        """Add ``hook`` under ``key`` (from the owning app's ``ready()``)."""
        existing = self._hooks.get(key)
        if existing is not None and existing is not hook:
            msg = f"{self.kind} hook {key} is registered twice."
            raise ValueError(msg)
        self._hooks[key] = hook
        return hook

    def all(self) -> dict[str, Callable[..., Any]]:
        """Return the registered hooks by key."""
        return dict(self._hooks)
