"""Template context shared by every page."""

from django.http import HttpRequest

from crm.core.shell import shell_context


def shell(request: HttpRequest) -> dict[str, object]:
    """Return the app shell's menus for the current member."""
    return {"shell": shell_context(request)}
