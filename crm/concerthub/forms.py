"""Forms of the Concert Hub pages: network IDs and an amendment's reason."""

from django import forms

from crm.concerthub.services import REASON_MAX


class NetworkFirmForm(forms.Form):
    firm_id = forms.CharField(
        label="Network Firm ID",
        max_length=20,
        help_text="F and 6 digits, as Concert Hub gave it to the firm (e.g. F100001).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AdviserUidForm(forms.Form):
    uid = forms.CharField(
        label="Adviser UID",
        max_length=20,
        required=False,
        help_text="A and 6 digits; leave blank to remove.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AmendForm(forms.Form):
    reason = forms.CharField(
        label="Why are you amending the submission?",
        max_length=REASON_MAX,
        help_text="Concert Hub receives this with the amended data, and the case "
        "history keeps it.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
