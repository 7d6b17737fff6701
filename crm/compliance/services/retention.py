"""Setting the firm's retention periods (SPEC M1)."""

from django.db import transaction
from django.utils.translation import gettext as _

from crm.cases import retention
from crm.cases.models import RetentionPeriod
from crm.core import events
from crm.core.choices import AuditVerb
from crm.core.exceptions import ApplicationError
from crm.firms.models import Firm, User


@transaction.atomic
def retention_periods_save(
    *, firm: Firm, actor: User | None, years: dict[str, int]
) -> dict[str, int]:
    """Set the years ``firm`` keeps each case kind (and clients with no case).

    ``years`` maps a rule key (``retention.rules``) to its years. A period
    below the kind's minimum, or above ``MAX_YEARS``, is refused naming the
    kind. Returns the periods now in force.
    """
    rules = {rule.key: rule for rule in retention.rules(firm)}
    unknown = set(years) - set(rules)
    if unknown:
        raise ApplicationError(_("Unknown retention period."), "invalid")
    for key, value in years.items():
        rule = rules[key]
        if value < rule.min_years:
            raise ApplicationError(
                _("%(kind)s records must be kept at least %(min)s years.")
                % {"kind": rule.label, "min": rule.min_years},
                "too_short",
                {"field": f"years_{key or 'no_case'}"},
            )
        if value > retention.MAX_YEARS:
            raise ApplicationError(
                _("Choose at most %(max)s years.") % {"max": retention.MAX_YEARS},
                "too_long",
                {"field": f"years_{key or 'no_case'}"},
            )
    before = retention.periods(firm=firm)
    changes = {
        str(rules[key].label): [before[key], value]
        for key, value in years.items()
        if before[key] != value
    }
    for key, value in years.items():
        if before[key] != value:
            RetentionPeriod.objects.update_or_create(
                firm=firm, kind=key, defaults={"years": value}
            )
    if changes:
        events.record(
            firm=firm,
            actor=actor,
            verb=AuditVerb.UPDATE,
            object_type="cases.retentionperiod",
            object_repr="Retention periods",
            changes=changes,
        )
    return retention.periods(firm=firm)
