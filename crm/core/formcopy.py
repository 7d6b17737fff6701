"""Forms whose fields are copied for each form without ``copy.deepcopy``'s walk.

Django's ``BaseForm.__init__`` deep-copies the class's fields, so that a form
may change its own (disable them, set a widget attribute or a help text).
Each field goes through ``copy.deepcopy``: the copy protocol's lookups,
``__reduce_ex__`` and ``_reconstruct`` for the field and again for its
widget, and a walk over a choice field's choices, about 90 Python calls a
field. The case page builds fourteen Fact Find forms of about five fields.

A ``QuickCopyForm`` gets the same copies made directly, as Django's
``Field.__deepcopy__``, ``ChoiceField.__deepcopy__`` and the widgets' own
make them: a new field and widget holding the same attributes (what
``copy.copy`` gives), new containers for the widget's attrs and the field's
error messages and validators, a choice widget's choices copied as Django
copies them, and a choice field's choices a new list whose flat choices are
the same tuples (``deepcopy`` keeps a tuple of strings, numbers and lazy
labels as it is; anything else in a choice is deep-copied). A field or
widget whose class copies itself in any other way is deep-copied as before.
"""

import copy
from typing import Any

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.forms.widgets import ChoiceWidget
from django.utils.functional import Promise

_FIELD_COPIES = (
    vars(forms.Field)["__deepcopy__"],
    vars(forms.ChoiceField)["__deepcopy__"],
)
_WIDGET_COPIES = (
    vars(forms.Widget)["__deepcopy__"],
    vars(ChoiceWidget)["__deepcopy__"],
)
# Values ``copy.deepcopy`` returns as they are (a lazy label returns itself).
_KEPT = (str, int, float, bool, type(None), Promise)


def _state_is_its_dict(cls: Any) -> bool:
    """Return whether ``copy.copy`` gives a new ``cls`` with the same ``__dict__``."""
    return bool(
        cls.__new__ is object.__new__
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and getattr(cls, "__getstate__", None) is object.__getstate__
        and not hasattr(cls, "__setstate__")
        and not hasattr(cls, "__copy__")
        and not any("__slots__" in vars(base) for base in cls.__mro__)
    )


# Whether a field class and widget class copy as Django's own classes do.
_PLAIN: dict[tuple[type, type], bool] = {}


def _copies_plainly(field_cls: type, widget_cls: type) -> bool:
    return (
        getattr(field_cls, "__deepcopy__", None) in _FIELD_COPIES
        and getattr(widget_cls, "__deepcopy__", None) in _WIDGET_COPIES
        and _state_is_its_dict(field_cls)
        and _state_is_its_dict(widget_cls)
    )


def _shallow(obj: Any) -> Any:
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _choice(choice: Any, memo: dict[int, Any]) -> Any:
    if type(choice) is tuple and all(isinstance(part, _KEPT) for part in choice):
        return choice
    return copy.deepcopy(choice, memo)


def copy_field(field: forms.Field, memo: dict[int, Any]) -> forms.Field:
    """Return ``copy.deepcopy(field, memo)``, made directly for Django's own copies."""
    classes = (type(field), type(field.widget))
    plain = _PLAIN.get(classes)
    if plain is None:
        plain = _PLAIN[classes] = _copies_plainly(*classes)
    if not plain:
        return copy.deepcopy(field, memo)
    widget, result, new_widget = field.widget, _shallow(field), _shallow(field.widget)
    memo[id(field)] = result
    new_widget.attrs = widget.attrs.copy()
    if isinstance(widget, ChoiceWidget):
        new_widget.choices = copy.copy(widget.choices)
    memo[id(widget)] = new_widget
    result.widget = new_widget
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        # As ChoiceField.__deepcopy__; choices from a callable stay its own.
        choices = result._choices
        result._choices = (
            [_choice(c, memo) for c in choices]
            if type(choices) is list
            else copy.deepcopy(choices, memo)
        )
    return result  # type: ignore[no-any-return]  # a new object of the field's class


class _Fields(dict[str, forms.Field]):
    """A form class's fields, deep-copied by ``copy_field``."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: copy_field(field, memo) for name, field in self.items()}


class QuickCopyFormMetaclass(DeclarativeFieldsMetaclass):
    """Collect a form's fields as Django does, in a ``_Fields``."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        new_class: Any = super().__new__(mcs, name, bases, attrs)
        fields = _Fields(new_class.base_fields)
        new_class.base_fields = new_class.declared_fields = fields
        return new_class


class QuickCopyForm(forms.Form, metaclass=QuickCopyFormMetaclass):
    """A ``Form`` whose fields are copied for each form by ``copy_field``."""
