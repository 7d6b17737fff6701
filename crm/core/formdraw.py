"""Unbound forms drawn a field at a time, each field kept per value (per process).

The advice case page draws fourteen Fact Find and D&N forms, about seventy
fields, on every request: making the forms (their fields copied, the
initial values read) and drawing each field through ``BoundField``, the
widget's context and the renderer cost about 28,000 Python calls, a third of
the page. Yet an unbound field's drawing is a function of a few values: the
form's class and keyword arguments, the field's name, its initial value and
the language; the form's id prefix only appears in its ids. So
``form_html(cls, prefix=p, initial=i, **kwargs)`` returns what
``str(cls(auto_id=f"{p}_%s", initial=i, **kwargs))`` returns, with each
field's drawing kept under those values (drawn with a placeholder prefix,
put in afterwards) and the form's own frame (the text around its fields)
kept per class, keyword arguments and language.

A form class opts in with ``draw_from_memo = True``: it promises that a
field's drawing does not depend on another field's initial value (its
``__init__`` does not read ``initial``). Anything else is drawn by Django as
before: a class that does not opt in; keyword arguments or an initial value
that cannot be compared as a plain value (``_value_key``: a callable
initial, a datetime, a model, a text holding the placeholder). The first
time a class is drawn with given keyword arguments, its frame is found in
Django's own drawing of the whole form and checked: reassembled, it must
give that drawing back, and with a second placeholder, Django's drawing with
that one. A class whose
drawing fails the check (its template draws fields another way, or the
prefix appears outside its ids) is drawn by Django from then on.

Past ``LIMIT`` kept fields the store starts again; a changed setting (in
tests) empties it.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.signals import setting_changed
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LIMIT = 8192
PLACEHOLDER = "cwFormPrefixA"
SECOND = "cwFormPrefixB"
# Longer texts (notes) are drawn by Django each time rather than kept.
LONGEST_KEPT = 400

_EXACT = (str, int, bool, date, type(None))
_BY_REPR = (Decimal, float)  # equal values that draw differently: 1.1 and 1.10


def _value_key(value: Any) -> Hashable:
    """Return ``value`` as a key holds it; raise ``TypeError`` if it cannot.

    The value's exact type is part of the key (``1``, ``True`` and ``1.0`` are
    equal but drawn differently); a decimal or float is keyed by its ``repr``
    (``Decimal("1.10") == Decimal("1.1")``). A date is kept, a datetime or time
    (shown in the current time zone) is not, nor a text holding the
    placeholder (it would be taken for the prefix).
    """
    kind = type(value)
    if kind in _BY_REPR:
        return (kind, repr(value))
    if kind in _EXACT:
        if kind is str and PLACEHOLDER in value:
            raise TypeError("placeholder")
        return (kind, value)
    if kind in (list, tuple):
        return (kind, tuple(_value_key(item) for item in value))
    raise TypeError(kind.__name__)


def _kept(value: Any) -> bool:
    """Return whether a field drawn with ``value`` is kept (not a long text)."""
    return not (type(value) is str and len(value) > LONGEST_KEPT)


@dataclass(frozen=True)
class _Frame:
    """A form's drawing around its fields: ``texts[0] f0 texts[1] f1 ... texts[n]``."""

    names: tuple[str, ...]
    texts: tuple[str, ...]
    defaults: tuple[Any, ...]  # each field's own ``initial`` (used when none is given)


# (class, keyword arguments, language) -> its frame, or None: drawn by Django.
_frames: dict[Hashable, _Frame | None] = {}
# (frame key, field name, value key) -> the field drawn with PLACEHOLDER.
_fields: dict[Hashable, str] = {}


def _auto_id(prefix: str) -> str:
    return f"{prefix}_%s"


def _draw_field(form: forms.BaseForm, name: str) -> str:
    """Return field ``name`` as ``core/forms/form.html`` draws it."""
    bound = form[name]
    return str(bound) if bound.is_hidden else str(bound.as_field_group())


def _find_frame(
    form_class: type[forms.BaseForm], kwargs: dict[str, Any]
) -> _Frame | None:
    """Return the class's frame, checked against Django's drawing; None if it fails."""
    form = form_class(auto_id=_auto_id(PLACEHOLDER), **kwargs)
    whole = str(form)
    names = tuple(
        [f.name for f in form.visible_fields()] + [f.name for f in form.hidden_fields()]
    )
    texts, at = [], 0
    for name in names:
        piece = _draw_field(form, name)
        found = whole.find(piece, at)
        if found < 0:
            return None
        texts.append(whole[at:found])
        at = found + len(piece)
    texts.append(whole[at:])
    frame = _Frame(
        names=names,
        texts=tuple(texts),
        defaults=tuple(form.fields[name].initial for name in names),
    )
    drawn = {name: _draw_field(form, name) for name in names}
    if _assemble(frame, drawn) != whole:
        return None
    other = str(form_class(auto_id=_auto_id(SECOND), **kwargs))
    if whole.replace(PLACEHOLDER, SECOND) != other:
        return None
    return frame


def _assemble(frame: _Frame, drawn: Mapping[str, str]) -> str:
    out = [frame.texts[0]]
    for name, text in zip(frame.names, frame.texts[1:], strict=True):
        out.append(drawn[name])
        out.append(text)
    return "".join(out)


def _frame_for(
    form_class: type[forms.BaseForm], kwargs: dict[str, Any]
) -> tuple[Hashable, _Frame | None]:
    try:
        key: Hashable = (
            form_class,
            tuple(sorted((k, _value_key(v)) for k, v in kwargs.items())),
            get_language(),
        )
        hash(key)
    except TypeError:
        return None, None
    if key not in _frames:
        if len(_frames) >= LIMIT:
            _frames.clear()
        _frames[key] = _find_frame(form_class, kwargs)
    return key, _frames[key]


def form_html(
    form_class: type[forms.BaseForm],
    *,
    prefix: str,
    initial: dict[str, Any],
    **kwargs: Any,
) -> SafeString:
    """Return ``str(form_class(auto_id=f"{prefix}_%s", initial=initial, **kwargs))``."""
    key, frame = (
        _frame_for(form_class, kwargs)
        if getattr(form_class, "draw_from_memo", False)
        else (None, None)
    )
    try:
        if frame is None:
            raise TypeError(form_class.__name__)
        values = [
            (name, value, _value_key(value))
            for name, default in zip(frame.names, frame.defaults, strict=True)
            for value in (initial.get(name, default),)
        ]
    except TypeError:
        return SafeString(
            str(form_class(auto_id=_auto_id(prefix), initial=initial, **kwargs))
        )
    drawn: dict[str, str] = {}
    missed: list[tuple[str, Hashable | None]] = []
    for name, value, value_key in values:
        field_key: Hashable = (key, name, value_key)
        kept = _fields.get(field_key)
        if kept is not None:
            drawn[name] = kept
        else:
            missed.append((name, field_key if _kept(value) else None))
    if missed:
        form = form_class(auto_id=_auto_id(PLACEHOLDER), initial=initial, **kwargs)
        for name, keep_as in missed:
            drawn[name] = _draw_field(form, name)
            if keep_as is not None:
                if len(_fields) >= LIMIT:
                    _fields.clear()
                _fields[keep_as] = drawn[name]
    html = _assemble(frame, drawn).replace(PLACEHOLDER, str(escape(prefix)))
    return mark_safe(html)  # noqa: S308 - Django's drawing, the prefix escaped


def clear(**_kwargs: Any) -> None:
    """Forget every kept frame and field (tests; a changed setting)."""
    _frames.clear()
    _fields.clear()


# A test that changes a setting (formats, languages) gets fresh drawings.
setting_changed.connect(clear)
