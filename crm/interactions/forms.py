"""Forms for logging an interaction and adding a note (J2)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from crm.firms.models import InteractionType

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class InteractionForm(forms.Form):
    """When it happened, what kind of interaction it was, and what was said."""

    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
        ),
    )
    interaction_type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=InteractionType.objects.none(),
        empty_label=_("Choose a type"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Optional: time spent, counted on the Workload page."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("What was discussed or agreed."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(
        self, *args: Any, types: QuerySet[InteractionType], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interaction_type"].queryset = types  # type: ignore[attr-defined]  # ModelChoiceField


class NoteForm(forms.Form):
    """A free-text note, dated when it is saved."""

    notes = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}))
