"""The project's form renderer: every field drawn by one accessible template.

``FORM_RENDERER`` points here. ``{{ form }}`` and ``{{ field.as_field_group }}``
give the label, the input, the help text and the errors, the input linked to
both by ``aria-describedby`` (``<id>_helptext``, ``<id>_error``) and marked
``aria-invalid`` when the field has errors. Django 5.2's ``BoundField`` builds
those attributes; the templates here give the help and the errors those ids.

The commonest small templates (inputs, selects and their options, textareas,
labels) are drawn in Python with exactly the markup of Django's own templates
(a test compares the two on every kind of value): a page of forms renders
hundreds of them, and each template render costs far more than the string.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext

WIDGETS = "django/forms/widgets/"
# Widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TYPES = (
    "input",
    "text",
    "number",
    "email",
    "url",
    "tel",
    "search",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "checkbox",
    "color",
)


# Django's ``escape`` is ``html.escape`` (quote=True) behind ``keep_lazy`` and
# ``SafeString``: about 20 Python calls for a short plain string, and a page of
# forms escapes thousands. For a plain ``str`` (exactly, not a subclass such as
# ``SafeString``) one ``translate`` with the same five entities gives the same
# text: each character is replaced on its own, as html.escape's replaces
# (ampersands first) do.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
)


def _s(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: "%s" % value, escaped unless it was safe.

    The filter is ``is_safe``, so a safe value stays safe through it.
    """
    if type(value) is str:
        return value.translate(_ESCAPES)
    if type(value) is int:
        return str(value)  # "%s" of an int; digits and "-" need no escaping
    text = "%s" % (value,)  # noqa: UP031 - exactly what the filter does
    if isinstance(value, SafeData):
        return text
    return str(escape(text))


def _e(value: Any) -> str:
    """``{{ value }}``: escaped unless already safe."""
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)  # type: ignore[no-any-return]  # a str's
    if kind is SafeString:
        return value  # type: ignore[no-any-return]  # conditional_escape's answer
    if isinstance(value, Promise):
        # A lazy label: conditional_escape's first step, then the above.
        return _e(str(value))
    return str(conditional_escape(value))


def attrs_html(attrs: Mapping[str, Any] | None) -> str:
    """``django/forms/widgets/attrs.html`` (and ``django/forms/attrs.html``).

    Like the template, draw nothing for attributes that are None.
    """
    if not attrs:
        return ""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_e(name)}")
        else:
            parts.append(f' {_e(name)}="{_s(value)}"')
    return "".join(parts)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    return (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"'
        f"{value}{attrs_html(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_s(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{_e(option['label'])}</option>"
    )


def _select(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    out = [f'<select name="{_e(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{WIDGETS}select_option.html":
                raise _Unhandled
            # The option template ends with a newline, which the include keeps.
            out.append(f"\n  {_option(option)}\n")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = _e(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_e(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _e(context["label"])
    tag = _e(context["tag"])
    return f"<{tag}{attrs_html(context['attrs'])}>{_e(context['label'])}</{tag}>"


def _errors(context: Mapping[str, Any]) -> str:
    """``django/forms/errors/list/default.html`` (its ``ul.html``)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    ident = f' id="{_e(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{_e(error)}</li>" for error in errors)
    return f'<ul class="{_e(context["error_class"])}"{ident}>{items}</ul>'


def _label_tag(field: BoundField, contents: str, tag: str) -> str:
    """``field.label_tag(contents)`` (``legend_tag`` for "legend"), as Django's.

    Django 5.2's ``BoundField.label_tag`` adds the suffix with ``format_html``
    and draws the label template through the form's renderer, about 110
    Python calls a label; this is the same steps, drawn here. A form or field
    that changes any of them is left to Django.
    """
    form = field.form
    if (
        type(field).label_tag is not BoundField.label_tag
        or type(field).legend_tag is not BoundField.legend_tag
        or form.template_name_label != "django/forms/label.html"
        or type(form.renderer).render is not FormRenderer.render
    ):
        return (
            field.legend_tag(contents) if tag == "legend" else field.label_tag(contents)
        )
    inner = field.field
    suffix = inner.label_suffix if inner.label_suffix is not None else form.label_suffix
    text = _e(contents)
    if suffix and contents and contents[-1] not in gettext(":?.!"):
        text += _e(suffix)
    widget = inner.widget
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_:
        return text.strip()
    attrs: dict[str, Any] = {}
    id_for_label = widget.id_for_label(id_)
    if id_for_label:
        attrs["for"] = id_for_label
    if inner.required and hasattr(form, "required_css_class"):
        attrs["class"] = form.required_css_class
    return f"<{tag}{attrs_html(attrs)}>{text}</{tag}>"


def _field(context: Mapping[str, Any]) -> str:
    """``core/forms/field.html``, its inner whitespace kept."""
    field = context["field"]
    # A lazily translated label is translated once here, not three times
    # over inside ``label_tag`` (its truth, its last character, its escaping).
    label = str(field.label) if field.label else ""
    css = field.css_classes()
    out = ["\n<div", f' class="{_e(css)}"' if css else "", ">\n  "]
    if field.use_fieldset:
        described = field.aria_describedby
        out += [
            "\n    <fieldset",
            f' aria-describedby="{_e(described)}"' if described else "",
            ">\n      ",
            _label_tag(field, label, "legend") if label else "",
            f"\n      {_e(field)}\n    </fieldset>\n  ",
        ]
    else:
        out += [
            "\n    ",
            _label_tag(field, label, "label") if label else "",
            f"\n    {_e(field)}\n  ",
        ]
    out.append("\n  ")
    if field.help_text:
        ident = f' id="{_e(field.auto_id)}_helptext"' if field.auto_id else ""
        out.append(f'<p class="muted"{ident}>{_e(field.help_text)}</p>')
    out.append("\n  ")
    errors = field.errors
    if errors:
        out.append(_e(errors))
    out.append("\n</div>\n")
    return "".join(out)


def _form(context: Mapping[str, Any]) -> str:
    """``core/forms/form.html``, its inner whitespace kept."""
    fields = "".join(_e(field.as_field_group()) for field, _ in context["fields"])
    hidden = "".join(_e(field) for field in context["hidden_fields"])
    return f"\n{_e(context['errors'])}\n{fields}\n{hidden}\n"


class _Unhandled(Exception):
    """The context holds something the Python drawing does not cover."""


FAST: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"{WIDGETS}{name}.html": _input for name in INPUT_TYPES},
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}select_option.html": lambda context: _option(context["widget"]),
    f"{WIDGETS}textarea.html": _textarea,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "core/forms/field.html": _field,
    "core/forms/form.html": _form,
}


class FormRenderer(DjangoTemplates):
    """Django's own renderer with the project's form and field templates."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def render(
        self, template_name: str, context: dict[str, Any], request: Any = None
    ) -> SafeString | str:
        """Draw the commonest templates in Python, everything else by template.

        Like Django's renderer, strip what is drawn.
        """
        fast = FAST.get(template_name)
        if fast is not None:
            try:
                return mark_safe(fast(context).strip())  # noqa: S308 - escaped above
            except _Unhandled:
                pass
        return super().render(template_name, context, request)
