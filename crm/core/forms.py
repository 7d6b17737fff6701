"""Forms for the audit log filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.choices import AuditVerb


class AuditFilterForm(forms.Form):
    """Filters of the Audit log page; every field is optional."""

    actor = forms.TypedChoiceField(
        label=_("Who"), required=False, coerce=int, empty_value=None
    )
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    verb = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: Any,
        actors: list[tuple[int, str]],
        object_types: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Anyone")), *actors]  # type: ignore[attr-defined]  # ChoiceField
        self.fields["object_type"].choices = [("", _("Any record")), *object_types]  # type: ignore[attr-defined]  # ChoiceField
        self.fields["verb"].choices = [("", _("Any action")), *AuditVerb.choices]  # type: ignore[attr-defined]  # ChoiceField

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
