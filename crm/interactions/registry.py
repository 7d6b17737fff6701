"""What the interactions app adds to the registries (called from ``ready()``)."""

from typing import Any

from crm.core import events
from crm.interactions.choices import (
    InteractionCaseEventType,
    InteractionContactEventType,
)


def _logged(params: dict[str, Any]) -> str:
    return f"{params.get('label') or 'Interaction'} logged"


def register() -> None:
    """Register the entries an interaction leaves in histories and timelines."""
    events.register(
        "case",
        InteractionCaseEventType.INTERACTION_LOGGED,
        InteractionCaseEventType.INTERACTION_LOGGED.label,
        _logged,
    )
    events.register_types("contact", InteractionContactEventType.choices)
