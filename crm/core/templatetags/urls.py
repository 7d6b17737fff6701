"""Django's ``{% url %}`` tag, drawing links to ids through ``quick_reverse``.

Loaded as a template builtin after Django's own (``TEMPLATES`` in settings),
so every ``{% url %}`` comes here. The tag parses exactly as Django's; it only
reverses through :func:`crm.core.links.quick_reverse`, which gives the same
URL (a list draws a link or two a row: the Tasks page 77 of them).
"""

from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from crm.core.links import quick_reverse

register = template.Library()


class QuickURLNode(defaulttags.URLNode):
    """A ``{% url %}`` node that reverses ids through ``quick_reverse``."""

    def render(self, context: Any) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = quick_reverse(view_name, args, kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> QuickURLNode:
    """Return Django's ``{% url %}`` node, reversing through ``quick_reverse``."""
    node = defaulttags.url(parser, token)
    return QuickURLNode(node.view_name, node.args, node.kwargs, node.asvar)
