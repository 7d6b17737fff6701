"""Unbound forms drawn field by field from the memo equal Django's drawing."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django import forms

from crm.advice.factfind.forms import SectionForm
from crm.advice.factfind.sections import DEMANDS_NEEDS, FACT_FIND
from crm.core import formdraw

FORMS = [s.form for s in (*FACT_FIND.values(), *DEMANDS_NEEDS.values())]
NASTY = 'O\'Brien & <Sons> "Ltd"'


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    formdraw.clear()
    yield
    formdraw.clear()


def _django(form_class: type[forms.BaseForm], prefix: str, **kwargs: Any) -> str:
    return str(form_class(auto_id=f"{prefix}_%s", **kwargs))


def _choice_values(field: Any) -> list[str]:
    return [str(value) for value, _label in field.choices]


def _values(form_class: type[forms.BaseForm], variant: int) -> dict[str, Any]:
    """Initial values of every kind a section holds, different per ``variant``."""
    values: dict[str, Any] = {}
    fields: dict[str, Any] = form_class.base_fields  # type: ignore[attr-defined]  # a Form's
    for name, field in fields.items():
        if isinstance(field, forms.MultipleChoiceField):
            choices = _choice_values(field)
            values[name] = [[], choices[:1], choices[1:3]][variant % 3]
        elif isinstance(field, forms.ChoiceField):
            choices = _choice_values(field)
            values[name] = choices[variant % len(choices)]
        elif isinstance(field, forms.DecimalField):
            values[name] = [None, Decimal("1.10"), Decimal("1.1"), Decimal(0)][
                variant % 4
            ]
        elif isinstance(field, forms.IntegerField):
            values[name] = [None, 0, 3, 12][variant % 4]
        elif isinstance(field, forms.DateField):
            values[name] = [None, date(2019, 3, 1), date(1980, 12, 31)][variant % 3]
        else:
            values[name] = [None, "", NASTY, "x" * 500][variant % 4]
    return values


@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_every_section_form_draws_as_django_does(form_class, editable):
    """Every Fact Find and D&N form, with values of every kind, kept or not.

    Drawn twice (the second time from what was kept) and under a second prefix,
    each equals Django's own drawing; decimals equal in value but written
    differently (1.10 and 1.1) are drawn apart.
    """
    for variant in range(6):
        initial = _values(form_class, variant)
        for prefix in ("ff12", "dn", "ff12", "ff7"):
            drawn = formdraw.form_html(
                form_class, prefix=prefix, initial=initial, editable=editable
            )
            expected = _django(form_class, prefix, initial=initial, editable=editable)
            assert drawn == expected, (form_class.__name__, variant, prefix)


def test_no_initial_draws_each_fields_default():
    """A row section's add form (no initial values) draws as Django does."""
    for form_class in FORMS:
        drawn = formdraw.form_html(form_class, prefix="ff3", initial={})
        assert drawn == _django(form_class, "ff3", initial={})


def test_a_kept_form_is_not_made_again(monkeypatch):
    """Drawn a second time with the same values, no form is made at all."""
    form_class = FACT_FIND["employment"].form
    initial = _values(form_class, 2)
    formdraw.form_html(form_class, prefix="ff1", initial=initial, editable=True)
    made: list[object] = []
    original = forms.BaseForm.__init__

    def counted(self: forms.BaseForm, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(forms.BaseForm, "__init__", counted)
    formdraw.form_html(form_class, prefix="ff9", initial=initial, editable=True)
    assert made == []
    changed = {**initial, "occupation": "Welder"}
    drawn = formdraw.form_html(form_class, prefix="ff9", initial=changed, editable=True)
    assert len(made) == 1  # one form for the one new value
    monkeypatch.setattr(forms.BaseForm, "__init__", original)
    assert drawn == _django(form_class, "ff9", initial=changed, editable=True)
    assert 'value="Welder"' in drawn


def test_a_value_holding_the_placeholder_is_drawn_by_django():
    form_class = FACT_FIND["employment"].form
    initial = {"occupation": f"{formdraw.PLACEHOLDER} & co"}
    for _ in range(2):
        drawn = formdraw.form_html(form_class, prefix="ff4", initial=initial)
        assert drawn == _django(form_class, "ff4", initial=initial)
    assert formdraw.PLACEHOLDER in drawn


class _Plain(forms.Form):
    name = forms.CharField(label="Name")


class _AsParagraphs(SectionForm):
    """Opts in but draws its fields as paragraphs: its frame is not found."""

    template_name = "django/forms/p.html"
    name = forms.CharField(label="Name", required=False)


class _PlaceholderInLabel(SectionForm):
    """Opts in but its label holds the placeholder: the second check fails."""

    name = forms.CharField(label=f"Name {formdraw.PLACEHOLDER}", required=False)


class _CallableInitial(SectionForm):
    today: date = date(2020, 1, 1)
    when = forms.DateField(required=False, initial=lambda: _CallableInitial.today)


@pytest.mark.parametrize("form_class", [_Plain, _AsParagraphs, _PlaceholderInLabel])
def test_forms_it_cannot_keep_are_drawn_by_django(form_class):
    """A class not opted in, or failing the frame's checks, is Django's drawing."""
    for prefix in ("a", "b"):
        drawn = formdraw.form_html(form_class, prefix=prefix, initial={"name": "Jo"})
        assert drawn == _django(form_class, prefix, initial={"name": "Jo"})
    assert all(frame is None for frame in formdraw._frames.values())
    assert formdraw._fields == {}


def test_a_callable_initial_is_called_each_time():
    for day in (date(2020, 1, 1), date(2021, 6, 30)):
        _CallableInitial.today = day
        drawn = formdraw.form_html(_CallableInitial, prefix="c", initial={})
        assert drawn == _django(_CallableInitial, "c", initial={})
        assert day.strftime("%d/%m/%Y") in drawn or day.isoformat() in drawn


def test_the_store_starts_again_past_its_limit(monkeypatch):
    monkeypatch.setattr(formdraw, "LIMIT", 5)
    form_class = FACT_FIND["income"].form
    for pounds in range(12):
        initial = {"basic_income": Decimal(pounds)}
        drawn = formdraw.form_html(form_class, prefix="ff1", initial=initial)
        assert drawn == _django(form_class, "ff1", initial=initial)
        assert len(formdraw._fields) <= 5
