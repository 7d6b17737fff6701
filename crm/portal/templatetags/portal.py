"""Template helpers of the portal's layout."""

from typing import Any

from django import template
from django.http import HttpRequest

from crm.core import principals
from crm.core.shell import brand_text_colour

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_firm(context: dict[str, Any]) -> Any:
    """Return the firm whose portal this is: the preview's, or the client's."""
    if context.get("portal_firm") is not None:
        return context["portal_firm"]
    request: HttpRequest | None = context.get("request")
    principal = getattr(request, "principal", None)
    if principal is not None and principal.kind == principals.CLIENT:
        return principal.firm
    return None


@register.filter
def text_on(colour: str) -> str:
    """Return black or white, whichever reads better on ``colour``."""
    return brand_text_colour(colour)
