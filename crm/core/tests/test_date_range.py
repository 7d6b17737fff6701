"""The date-range check every list's filters share (DateRangeFilterForm)."""

from datetime import date

from django import forms

from crm.core.filters import DateRangeFilterForm


class _Default(DateRangeFilterForm):
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)


class _Named(DateRangeFilterForm):
    date_range = ("start_from", "start_to")
    date_range_error = "The end date is before the start date."
    start_from = forms.DateField(required=False)
    start_to = forms.DateField(required=False)


def test_a_range_running_backwards_is_an_error_on_its_end():
    """The end is left out, with its error; the start still applies."""
    form = _Default({"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert form.is_valid() is False
    assert form.errors == {"date_to": ["Choose a date on or after the start."]}
    assert form.cleaned_data == {"date_from": date(2026, 5, 2)}


def test_a_range_of_one_day_or_an_open_end_is_kept():
    """An end on the start day, or either end alone, is fine."""
    for data in (
        {"date_from": "2026-05-01", "date_to": "2026-05-01"},
        {"date_from": "2026-05-01"},
        {"date_to": "2026-05-01"},
    ):
        assert _Default(data).is_valid() is True


def test_a_list_names_its_own_range_and_message():
    """A list with other field names (the support Cases' start dates) and its
    own wording gets the same check."""
    form = _Named({"start_from": "2026-05-02", "start_to": "2026-05-01"})
    assert form.is_valid() is False
    assert form.errors == {"start_to": ["The end date is before the start date."]}
