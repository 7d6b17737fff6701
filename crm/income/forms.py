"""Forms of income: an expected line, a receipt, the firm's split (L3)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.core.concurrency import VersionField
from crm.core.fields import DateField, IdChoiceField
from crm.firms.models import Introducer
from crm.income.choices import ADDABLE_KINDS
from crm.income.models import IncomeLine
from crm.income.services import MAX_INDEMNITY_MONTHS, IncomeLineData
from crm.protection.models import Policy


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(10_000_000),
    )


def _percent(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
    )


class IncomeLineForm(forms.Form):
    """An expected fee or commission; a commission names its policy (L3)."""

    # No field's drawing depends on another's initial value (``crm.core.formdraw``).
    draw_from_memo = True

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, k.label) for k in ADDABLE_KINDS]
    )
    amount = _money(_("Amount expected (£)"))
    expected_on = DateField(label=_("Expected on"))
    description = forms.CharField(
        label=_("Description"), required=False, max_length=160
    )
    policy = IdChoiceField(
        label=_("Policy (commission only)"),
        help_text=_("The protection policy the commission is paid on."),
    )
    indemnity_months = forms.IntegerField(
        label=_("Indemnity period in months (commission only)"),
        required=False,
        min_value=0,
        max_value=MAX_INDEMNITY_MONTHS,
        help_text=_("If the policy lapses inside it, the rest is clawed back."),
    )

    def __init__(
        self, *args: Any, policies: list[Policy], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # An edit carries the version it was opened on (A10).
            self.fields["version"] = VersionField()
        self.policies = {p.pk: p for p in policies}
        field = self.fields["policy"]
        if policies:
            field.choices = [  # type: ignore[attr-defined]  # a ChoiceField
                ("", _("None")),
                *((p.pk, str(p)) for p in policies),
            ]
        else:
            del self.fields["policy"]
            del self.fields["indemnity_months"]

    @classmethod
    def initial_for(cls, line: IncomeLine) -> dict[str, Any]:
        """Return the edit form's initial data from ``line``."""
        return {
            "kind": line.kind,
            "amount": line.amount,
            "expected_on": line.expected_on,
            "description": line.description,
            "policy": line.policy_id,
            "indemnity_months": line.indemnity_months,
            "version": line.version,
        }

    def to_data(self) -> IncomeLineData:
        """Return the cleaned values as the service's input."""
        data = self.cleaned_data
        policy_id = data.get("policy")
        return IncomeLineData(
            kind=data["kind"],
            amount=data["amount"],
            expected_on=data["expected_on"],
            description=data["description"],
            policy=self.policies.get(policy_id) if policy_id else None,
            indemnity_months=data.get("indemnity_months"),
        )


class VersionForm(forms.Form):
    """A confirmation that carries the version its page was opened on (A10)."""

    version = VersionField()


class ReceiveForm(forms.Form):
    """How much came in, and when (L3)."""

    amount = _money(_("Amount received (£)"))
    received_on = DateField(label=_("Received on"))


class IncomeSettingsForm(forms.Form):
    """The firm's split of income, with one optional share per introducer (L3)."""

    adviser_share_pct = _percent(_("Adviser's share (%)"))
    introducer_share_pct = _percent(_("Introducer's share, by default (%)"))

    def __init__(
        self,
        *args: Any,
        introducers: list[tuple[Introducer, Decimal | None]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.introducers = [introducer for introducer, _share in introducers]
        self.fields["adviser_share_pct"].help_text = _(
            "Of what is left once the introducer's share is paid."
        )
        for introducer, share in introducers:
            name = f"introducer_{introducer.pk}"
            self.fields[name] = _percent(
                _("%(name)s's share (%%)") % {"name": introducer.name},
                required=False,
            )
            self.fields[name].help_text = _("Leave empty to use the default.")
            self.initial.setdefault(name, share)

    def introducer_shares(self) -> dict[Introducer, Decimal | None]:
        """Return each introducer's own share, None to take the default."""
        return {
            i: self.cleaned_data.get(f"introducer_{i.pk}") for i in self.introducers
        }
