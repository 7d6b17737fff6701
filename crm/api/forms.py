"""The form that makes an API token."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.api.choices import TokenScope
from crm.core import fields


class TokenForm(forms.Form):
    """Name a token, choose the member it acts as and what it may do."""

    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=True,
        help_text=_("What uses it, e.g. “Website enquiries” or “Reporting”."),
    )
    membership = fields.IdChoiceField(
        label=_("Acts as"),
        required=True,
        help_text=_("The token has this member's permissions, never more."),
    )
    scope = fields.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        required=True,
        initial=TokenScope.READ,
    )

    def __init__(
        self, *args: Any, members: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # declared above
        field.choices = members
