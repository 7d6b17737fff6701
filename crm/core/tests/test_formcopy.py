import copy
from typing import Any

import pytest
from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.fields import ChoiceField, DateField
from crm.core.formcopy import QuickCopyForm, copy_field


class _OwnCopy(forms.CharField):
    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = vars(forms.Field)["__deepcopy__"](self, memo)
        result.copied_by_itself = True
        return result


def _fields() -> dict[str, Any]:
    return {
        "text": forms.CharField(label=_("Text"), max_length=5, help_text="Help"),
        "number": forms.DecimalField(
            widget=forms.NumberInput(attrs={"step": "0.01"}), min_value=0
        ),
        "date": DateField(required=False),
        "choice": ChoiceField(choices=[("", _("Not known")), ("a", _("A")), (1, "B")]),
        "groups": forms.ChoiceField(
            choices=[("Group", [("x", "X"), ("y", "Y")]), ("z", "Z")]
        ),
        "callable": forms.ChoiceField(choices=lambda: [("c", "C")]),
        "many": forms.MultipleChoiceField(
            choices=[("m", "M"), ("n", "N")], widget=forms.CheckboxSelectMultiple
        ),
        "area": forms.CharField(widget=forms.Textarea(attrs={"rows": 3})),
        "own": _OwnCopy(),
        "split": forms.SplitDateTimeField(),
    }


def _state(value: Any) -> Any:
    """Return what the copy holds, comparable between two copies."""
    if isinstance(value, forms.Widget | forms.Field):
        state = {k: _state(v) for k, v in vars(value).items()}
        return (type(value), state)
    if isinstance(value, list | tuple):
        return type(value)([_state(v) for v in value])
    if isinstance(value, dict):
        return {k: _state(v) for k, v in value.items()}
    if callable(value) and not isinstance(value, type):
        return getattr(value, "__qualname__", type(value))
    return value


@pytest.mark.parametrize("name", list(_fields()))
def test_a_copy_holds_what_a_deep_copy_holds(name):
    """``copy_field`` gives a field the state ``copy.deepcopy`` gives it."""
    field = _fields()[name]
    quick, deep = copy_field(field, {}), copy.deepcopy(field, {})
    assert _state(quick) == _state(deep)


@pytest.mark.parametrize("name", list(_fields()))
def test_a_copy_shares_no_container_with_its_field(name):
    """The copy's widget, attrs, messages, validators and choice lists are new."""
    field = _fields()[name]
    quick: Any = copy_field(field, {})
    assert quick is not field
    assert quick.widget is not field.widget
    assert quick.widget.attrs is not field.widget.attrs
    assert quick.error_messages is not field.error_messages
    assert quick.validators is not field.validators
    if isinstance(field, forms.ChoiceField) and isinstance(field.choices, list):
        assert quick.choices is not field.choices
        assert quick.widget.choices is not field.widget.choices
        for mine, theirs in zip(quick.choices, field.choices, strict=True):
            if isinstance(theirs[1], list):
                assert mine[1] is not theirs[1]


def test_plain_fields_are_copied_without_deepcopy(monkeypatch):
    """A field and widget of Django's own copying never reach ``copy.deepcopy``."""

    def refuse(*args: Any) -> Any:
        raise AssertionError("deepcopy called")

    fields = _fields()
    monkeypatch.setattr(copy, "deepcopy", refuse)
    for name in ("text", "number", "date", "choice", "many", "area"):
        copy_field(fields[name], {})


def test_a_field_that_copies_itself_still_does():
    """A field class with its own ``__deepcopy__`` is deep-copied as before."""
    quick = copy_field(_OwnCopy(), {})
    assert quick.copied_by_itself is True  # type: ignore[attr-defined]  # set by _OwnCopy


class _Form(QuickCopyForm):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])


class _MoreForm(_Form):
    extra = forms.CharField()


def test_each_form_changes_only_its_own_fields():
    """Disabling, widget attributes and choices set on one form stay on it."""
    first, second = _Form(), _Form()
    kind: Any = _Form.base_fields["kind"]
    first.fields["name"].disabled = True
    first.fields["name"].widget.attrs["autocomplete"] = "off"
    first.fields["kind"].choices = [("c", "C")]  # type: ignore[attr-defined]  # a ChoiceField
    assert second.fields["name"].disabled is False
    assert "autocomplete" not in second.fields["name"].widget.attrs
    assert list(second.fields["kind"].choices) == [("a", "A"), ("b", "B")]  # type: ignore[attr-defined]  # a ChoiceField
    assert list(kind.choices) == [("a", "A"), ("b", "B")]


def test_a_subclass_collects_its_fields_as_django_does():
    """A subclass has its parents' fields then its own, in declaration order."""
    assert list(_MoreForm.base_fields) == ["name", "kind", "extra"]
    assert _MoreForm.base_fields is _MoreForm.declared_fields
    assert list(_MoreForm().fields) == ["name", "kind", "extra"]
