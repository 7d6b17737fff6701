"""System checks for settings that are only safe in development."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def dev_mailbox_off_in_production(**kwargs: Any) -> list[CheckMessage]:
    """Refuse a production deployment that keeps mail in the dev mailbox."""
    if settings.DEV_MAILBOX and not settings.DEBUG:
        return [
            Error(
                "DEV_MAILBOX is on while DEBUG is off.",
                hint="The dev mailbox shows sent mail in the app; turn it off "
                "(DEV_MAILBOX=false) and configure real e-mail for production.",
                id="casework.E001",
            )
        ]
    return []
