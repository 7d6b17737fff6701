"""Records retention (SPEC M1): how long a firm keeps a case, a client, a document.

The rule, decided here and shown on the settings page:

- A **case** is kept while it is open and for its kind's period after it
  closes (``Case.closed_at``): the regulator's clock starts when the advice
  or support ends. Reopening a case restarts the clock at its next closing.
- A **document** follows its case; a document filed on a client record with
  no case follows the client. A document uploaded in the last
  ``UPLOAD_GRACE`` may still be deleted: that corrects a wrong upload, and
  nothing was advised on it yet.
- A **client** (contact) is kept while any case they are an applicant on is
  kept: until the latest end date of their cases. A client with no case is
  kept for the firm's "no case" period after their last activity (the last
  change to their record, ``Contact.updated_at``).

Periods are per firm and per case kind (``RetentionPeriod``); a kind with no
row keeps its registered default, and no period may be set below the kind's
minimum (mortgage advice 3 years, protection 5, support as the charity sets).
Deleting or anonymising anything inside its period is refused with the
reason and the date it ends (:func:`refuse_if_held`).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from crm.cases import kinds
from crm.cases.models import Case, CaseApplicant, Document, RetentionPeriod
from crm.core.exceptions import ApplicationError

if TYPE_CHECKING:
    from crm.contacts.models import Contact
    from crm.firms.models import Firm

NO_CASE = ""
NO_CASE_MIN_YEARS = 0
NO_CASE_DEFAULT_YEARS = 2
MAX_YEARS = 50
UPLOAD_GRACE = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class Rule:
    """One retention period a firm sets: a case kind, or clients with no case."""

    key: str
    label: Any
    min_years: int
    default_years: int


def _kind_rule(kind: kinds.CaseKind) -> Rule:
    return Rule(
        kind.value,
        kind.label,
        kind.retention_min_years,
        kind.retention_default_years,
    )


def _no_case_rule() -> Rule:
    return Rule(
        NO_CASE, _("Clients with no case"), NO_CASE_MIN_YEARS, NO_CASE_DEFAULT_YEARS
    )


def rules(firm: "Firm") -> list[Rule]:
    """Return the periods ``firm`` sets: its case kinds, then clients with no case."""
    found = [
        Rule(k.value, k.label, k.retention_min_years, k.retention_default_years)
        for k in kinds.kinds_for(firm)
    ]
    found.append(
        Rule(
            NO_CASE, _("Clients with no case"), NO_CASE_MIN_YEARS, NO_CASE_DEFAULT_YEARS
        )
    )
    return found


def rule_for(key: str) -> Rule:
    """Return the rule of case kind ``key`` (or ``NO_CASE``), whatever the firm."""
    if key == NO_CASE:
        return Rule(
            NO_CASE, _("Clients with no case"), NO_CASE_MIN_YEARS, NO_CASE_DEFAULT_YEARS
        )
    kind = kinds.get(key)
    return Rule(
        kind.value, kind.label, kind.retention_min_years, kind.retention_default_years
    )


def periods(*, firm: "Firm") -> dict[str, int]:
    """Return the years ``firm`` keeps each kind (and ``NO_CASE``): one query."""
    chosen = dict(
        RetentionPeriod.objects.filter(firm=firm).values_list("kind", "years")
    )
    result = {k.value: k.retention_default_years for k in kinds.all_kinds()}
    result[NO_CASE] = NO_CASE_DEFAULT_YEARS
    result.update(chosen)
    return result


def plus_years(day: datetime.date, years: int) -> datetime.date:
    """Return ``day`` moved ``years`` on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _date(day: datetime.date) -> str:
    return str(formats.date_format(day, "j F Y"))


@dataclass(frozen=True)
class Hold:
    """Why a record must still be kept: until ``until`` (None: while a case is open)."""

    until: datetime.date | None
    reason: str

    def message(self, what: str) -> str:
        """Return the refusal shown when someone tries to remove ``what``."""
        if self.until is None:
            return f"{what} cannot be removed yet: {self.reason}."
        return f"{what} must be kept until {_date(self.until)}: {self.reason}."


def case_hold(
    case: Case, years_by_kind: dict[str, int], today: datetime.date
) -> Hold | None:
    """Return why ``case`` is still kept, or None once its period has passed."""
    years = years_by_kind.get(case.kind, NO_CASE_DEFAULT_YEARS)
    # The reason names the kind, not the reference: a member who sees only
    # their own cases must not learn a colleague's case from it.
    kind = str(case.get_kind_display()).lower()
    if case.is_open or case.closed_at is None:
        return Hold(None, f"a {kind} case is still open")
    closed = timezone.localdate(case.closed_at)
    until = plus_years(closed, years)
    if until <= today:
        return None
    return Hold(
        until,
        f"a {kind} case closed on {_date(closed)} and {kind} records are kept "
        f"for {years} year{'s' if years != 1 else ''}",
    )


def _latest(holds: Iterable[Hold | None]) -> Hold | None:
    found = [h for h in holds if h is not None]
    if not found:
        return None
    open_case = next((h for h in found if h.until is None), None)
    if open_case is not None:
        return open_case
    return max(found, key=lambda h: h.until or datetime.date.max)


def contact_hold(*, firm: "Firm", contact: "Contact") -> Hold | None:
    """Return why ``contact``'s records are still kept, or None (two queries)."""
    today = timezone.localdate()
    years = periods(firm=firm)
    cases = [
        a.case
        for a in CaseApplicant.objects.filter(firm=firm, contact=contact)
        .select_related("case")
        .order_by("case_id")
    ]
    if cases:
        return _latest(case_hold(case, years, today) for case in cases)
    last = timezone.localdate(contact.updated_at)
    until = plus_years(last, years[NO_CASE])
    if until <= today:
        return None
    return Hold(
        until,
        f"the client has no case, and a client's records are kept "
        f"{years[NO_CASE]} years after their last activity ({_date(last)})",
    )


def document_hold(*, firm: "Firm", document: Document) -> Hold | None:
    """Return why ``document`` is still kept: its case's hold, or its client's."""
    if document.created_at and timezone.now() - document.created_at < UPLOAD_GRACE:
        return None
    if document.case_id is not None:
        case = Case.objects.get(firm=firm, pk=document.case_id)
        return case_hold(case, periods(firm=firm), timezone.localdate())
    if document.contact is not None:
        return contact_hold(firm=firm, contact=document.contact)
    return None


def refuse_if_held(hold: Hold | None, what: str) -> None:
    """Raise ``ApplicationError`` (code ``retained``) when ``hold`` keeps ``what``."""
    if hold is None:
        return
    raise ApplicationError(
        hold.message(what),
        "retained",
        {"until": hold.until.isoformat() if hold.until else None},
    )
