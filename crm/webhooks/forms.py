"""The form that registers or edits a webhook endpoint."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.webhooks import catalogue
from crm.webhooks.models import URL_MAX_LENGTH


class EndpointForm(forms.Form):
    """Name an endpoint, give its URL, the events it hears of and its state.

    The URL's rules (https, public addresses, localhost only in development)
    are the service's; they come back as a message on the URL field.
    """

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=True,
        help_text=_("What receives the events, e.g. “Case tracker”."),
    )
    url = forms.CharField(
        label=_("URL"),
        max_length=URL_MAX_LENGTH,
        required=True,
        help_text=_(
            "An https:// address on the public internet. Casework POSTs each "
            "event there as JSON, signed with the endpoint's secret."
        ),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        required=True,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("Untick to pause: a paused endpoint hears of no new events."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event_types"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101  # declared above
        field.choices = catalogue.choices()
