"""The erasure registry: personal data kept by apps above the erasure service.

Erasure (``crm.compliance``) blanks the free text of every row that points
at the client through a named relation, but some apps keep personal data it
cannot see or cannot blank generically (rows related through ``"+"``,
addresses and IP addresses, text with rules of its own). Such an app
registers an :data:`Hook` here in its ``AppConfig.ready()``; erasure runs
every hook inside its transaction, with the firm and the contact as keyword
arguments, and adds the row counts each returns to its audit row.
"""

from collections.abc import Callable

from django.db import models

Hook = Callable[..., dict[str, int]]

_HOOKS: dict[str, Hook] = {}


def register(key: str, hook: Hook) -> Hook:
    """Add ``hook`` under ``key`` (from the owning app's ``ready()``)."""
    existing = _HOOKS.get(key)
    if existing is not None and existing is not hook:
        msg = f"Erasure hook {key} is registered twice."
        raise ValueError(msg)
    _HOOKS[key] = hook
    return hook


def hooks() -> dict[str, Hook]:
    """Return the registered hooks by key."""
    return dict(_HOOKS)


def run(*, firm: models.Model, contact: models.Model) -> dict[str, int]:
    """Run every hook for ``contact``; return the rows blanked by model label."""
    rows: dict[str, int] = {}
    for hook in _HOOKS.values():
        for label, number in hook(firm=firm, contact=contact).items():
            if number:
                rows[label] = rows.get(label, 0) + number
    return rows
