"""Template context shared by every page."""

from django.http import HttpRequest

from crm.core.shell import shell_context


def shell(request: HttpRequest) -> dict[str, object]:
    """Return the app shell's menus for the current member."""
    return {"shell": shell_context(request)}


def csp(request: HttpRequest) -> dict[str, object]:
    """Return the request's Content-Security-Policy nonce as ``csp_nonce``.

    The name is the one Django 6's own CSP support and ``{% htmx_script %}``
    use. The nonce stays lazy: only a page that prints it gets one in its
    header. Test without ``{% if %}``, which reads an unprinted nonce as false.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
