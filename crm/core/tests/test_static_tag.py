"""``{% static %}`` loaded from casework: Django's addresses, worked out once."""

from typing import Any

import pytest
from django.template import Context, Template
from django.templatetags.static import StaticNode
from django.test import override_settings
from django.urls import clear_script_prefix, set_script_prefix

from crm.core.templatetags.casework import KeptStaticNode

DJANGOS = Template("{% load static %}{% static 'css/app.css' %}|{% static name %}")
KEPT = Template(
    "{% load static casework %}{% static 'css/app.css' %}|{% static name %}"
    "{% static 'img/favicon.svg' as icon %}|{{ icon }}"
)


def _both(name: str) -> tuple[str, str]:
    context = {"name": name}
    kept = KEPT.render(Context(context))
    return DJANGOS.render(Context(context)), kept.rsplit("|", 1)[0]


@pytest.mark.parametrize("name", ["js/app.js", "a b&c.css", "img/favicon.svg"])
def test_the_same_addresses_as_djangos(name):
    djangos, kept = _both(name)
    assert kept == djangos


def test_a_changed_setting_or_prefix_changes_the_address():
    assert _both("js/app.js")[1].startswith("/static/css/app.css|")
    with override_settings(STATIC_URL="/assets/"):
        djangos, kept = _both("js/app.js")
        assert kept == djangos == "/assets/css/app.css|/assets/js/app.js"
    set_script_prefix("/crm/")
    try:
        djangos, kept = _both("js/app.js")
        assert kept == djangos
    finally:
        clear_script_prefix()
    assert _both("js/app.js")[1] == "/static/css/app.css|/static/js/app.js"


def test_as_sets_a_variable():
    assert KEPT.render(Context({"name": "x"})).endswith("|/static/img/favicon.svg")


def test_the_page_shell_uses_the_kept_tag():
    """base.html must not load Django's ``static`` (loaded after casework, it wins)."""
    from django.template.loader import get_template

    engine_template: Any = get_template("base.html")
    nodes = engine_template.template.nodelist.get_nodes_by_type(StaticNode)
    assert nodes
    assert all(type(node) is KeptStaticNode for node in nodes)
