"""The Python-drawn widgets give exactly the markup of Django's templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from crm.core.renderers import FAST, FormRenderer


class Everything(forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    text = forms.CharField(label="Name <b>", help_text="Help & more", max_length=20)
    number = forms.DecimalField(label="Amount (£)", required=False)
    email = forms.EmailField(required=False)
    date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    choice = forms.ChoiceField(
        choices=[("", "—"), ("a", "A & B"), ("b", mark_safe("<i>B</i>"))],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[('Group "1"', [("x", "X"), ("y", "Y")]), ("z", "Z")],
        required=False,
    )
    many = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", "Two")], required=False
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    radio = forms.ChoiceField(
        choices=[("r", "Red"), ("g", "Green")],
        widget=forms.RadioSelect,
        help_text=mark_safe("Pick <em>one</em>"),
    )
    ids = forms.TypedChoiceField(
        choices=[("", "Any"), (1, "One & <1>"), (-2, "'Two'"), (30, 'Thirty "30"')],
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"data-n": 7, "title": "It's <it>"}),
    )
    lazy = forms.ChoiceField(
        label=gettext_lazy("Lazy <label>"),
        help_text=gettext_lazy("Lazy & help"),
        choices=[
            ("", gettext_lazy("Not known <yet>")),
            ("s", lazy(mark_safe, str)("<i>Safe and lazy</i>")),
        ],
        required=False,
    )
    unlabelled = forms.CharField(required=False, label="")
    question = forms.CharField(required=False, label="Ready? ")
    suffixed = forms.CharField(
        label=mark_safe("<i>Safe</i>"),
        label_suffix=" &",
        widget=forms.TextInput(attrs={"id": "own-id"}),
    )
    search = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autofocus": True, "disabled": False, "x": "'\""}
        ),
    )


VALUES = [
    {},
    {
        "text": "O'Brien <script>",
        "number": "12.50",
        "email": "a@b.c",
        "date": "2026-12-05",
        "hidden": "&amp;",
        "tick": "on",
        "choice": "a",
        "grouped": "y",
        "many": ["1", "2"],
        "notes": "Line 1\n<b>Line 2</b>",
        "search": "x",
        "radio": "g",
        "ids": "-2",
    },
    {"text": "", "number": "junk", "choice": "nope", "notes": "", "ids": "30"},
]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("bound", [True, False])
def test_every_field_renders_as_the_templates_do(data, bound):
    initial = {
        "text": mark_safe("Safe &amp; sound"),
        "number": Decimal("3.10"),
        "date": datetime.date(2026, 1, 2),
    }
    fast = Everything(data if bound else None, initial=initial, renderer=FormRenderer())
    slow = Everything(
        data if bound else None, initial=initial, renderer=_TemplatesOnly()
    )
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
        assert fast[name].label_tag() == slow[name].label_tag(), name
        assert fast[name].legend_tag() == slow[name].legend_tag(), name
        extras: tuple[dict[str, str | bool] | None, ...] = (
            None,
            {"class": "x", "hidden": True},
        )
        for attrs in extras:
            # label_tag adds the required class to the dict it is given: a copy each.
            assert fast[name].label_tag(
                attrs=attrs and dict(attrs), label_suffix=""
            ) == slow[name].label_tag(attrs=attrs and dict(attrs), label_suffix=""), (
                name
            )
    assert str(fast) == str(slow)
    for name in fast.fields:
        assert fast[name].as_field_group() == slow[name].as_field_group(), name
    assert str(fast.non_field_errors()) == str(slow.non_field_errors())


def test_form_errors_render_as_the_templates_do():
    """Errors of the form as a whole, and a field with several errors."""
    forms_ = [
        Everything({"text": "x"}, renderer=renderer)
        for renderer in (FormRenderer(), _TemplatesOnly())
    ]
    for form in forms_:
        form.add_error(None, "Whole <form> wrong")
        form.add_error("text", "Second & last")
    fast, slow = forms_
    assert str(fast) == str(slow)
    assert "Whole &lt;form&gt; wrong" in str(fast)


@pytest.mark.parametrize("auto_id", [False, "f-%s"])
@pytest.mark.parametrize("label_suffix", [None, "", " -"])
def test_labels_render_as_the_templates_do(auto_id, label_suffix):
    """Labels and legends without ids, with the form's own ids and suffixes."""
    fast, slow = (
        Everything(
            {"text": "x"},
            auto_id=auto_id,
            label_suffix=label_suffix,
            renderer=renderer,
        )
        for renderer in (FormRenderer(), _TemplatesOnly())
    )
    for name in fast.fields:
        assert fast[name].as_field_group() == slow[name].as_field_group(), name


class _TemplatesOnly(FormRenderer):
    def render(self, template_name, context, request=None):
        return DjangoTemplates.render(self, template_name, context, request)


def test_the_fast_templates_are_the_ones_django_uses():
    renderer = DjangoTemplates()
    for name in FAST:
        assert renderer.get_template(name) is not None
