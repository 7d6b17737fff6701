"""Completeness: the fields each kind of advice case requires (SPEC F3).

One rule set per case kind: for each section of the Fact Find (per client)
and of the Demands & Needs (per case), the requirements that must hold.
Rules are evaluated in Python over rows the page already loaded, so checking
a section costs no query. ``missing`` returns the requirements a section
fails; ``crm.advice.readiness`` turns them into blockers with links.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from crm.advice.choices import AdviceKind
from crm.advice.factfind.choices import WORKING, EmploymentStatus

ADDRESS_HISTORY_DAYS = 3 * 365


@dataclass(frozen=True)
class Requirement:
    """One thing a section needs: a field filled in, or a ``check`` passing.

    ``input`` names the form input the "!" link points at (default
    ``field``); ``when`` limits the requirement to some records (the
    employer only for a client in work).
    """

    field: str
    label: str
    check: Callable[[Any], bool] | None = None
    when: Callable[[Any], bool] | None = None
    input: str = ""

    @property
    def input_name(self) -> str:
        """Return the name of the input that fixes this requirement."""
        return self.input or self.field

    def applies(self, obj: Any) -> bool:
        """Return whether ``obj`` must meet this requirement."""
        return self.when is None or self.when(obj)

    def met(self, obj: Any) -> bool:
        """Return whether ``obj`` meets this requirement."""
        if self.check is not None:
            return self.check(obj)
        value = getattr(obj, self.field, None)
        return value not in (None, "", [], ())


def _working(ff: Any) -> bool:
    return bool(ff.employment_status in WORKING)


def _self_employed(ff: Any) -> bool:
    return bool(
        ff.employment_status
        in {EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.CONTRACTOR}
    )


def _employed(ff: Any) -> bool:
    return bool(ff.employment_status == EmploymentStatus.EMPLOYED)


def _has_dependants(ff: Any) -> bool:
    return bool(ff.dependants)


def _health_conditions(ff: Any) -> bool:
    return bool(ff.health_conditions == "yes")


def covers_three_years(ff: Any, today: date | None = None) -> bool:
    """Return whether the addresses cover the last three years without a gap.

    Reads ``ff.addresses.all()``, which the page prefetched (an unsaved Fact
    Find has no addresses).
    """
    if ff.pk is None:
        return False
    today = today or timezone.localdate()
    start = today - timedelta(days=ADDRESS_HISTORY_DAYS)
    spans = sorted((a.moved_in, a.moved_out or today) for a in ff.addresses.all())
    if not spans or spans[-1][1] < today - timedelta(days=31):
        return False
    covered_from = today
    for moved_in, moved_out in reversed(spans):
        # Allow a month's gap between one address and the next.
        if moved_out < covered_from - timedelta(days=31):
            break
        covered_from = min(covered_from, moved_in)
    return covered_from <= start


R = Requirement

PERSONAL = (
    R("date_of_birth", "Date of birth"),
    R("marital_status", "Marital status"),
    R("nationality", "Nationality"),
    R("dependants", "Number of dependants"),
    R("dependants_ages", "Ages of dependants", when=_has_dependants),
)
ADDRESSES = (
    R(
        "address_history",
        "Three years' address history",
        check=covers_three_years,
        input="line1",
    ),
)
EMPLOYMENT = (
    R("employment_status", "Employment status"),
    R("occupation", "Occupation", when=_working),
    R("employer", "Employer or business name", when=_working),
    R("employment_start", "Employment start date", when=_working),
    R("net_profit_latest", "Net profit, latest year", when=_self_employed),
    R("net_profit_previous", "Net profit, previous year", when=_self_employed),
)
INCOME = (
    R("basic_income", "Basic annual income", when=_employed),
    R("net_monthly_income", "Net monthly income"),
)
HEALTH = (
    R("smoker_status", "Smoker status"),
    R("health_conditions", "Any health conditions"),
    R("health_details", "Health details", when=_health_conditions),
)
DN_MORTGAGE = (
    R("purpose", "Purpose"),
    R("property_value", "Property value"),
    R("deposit", "Deposit"),
    R("loan_amount", "Loan amount"),
    R("term_years", "Term"),
    R("repayment_method", "Repayment method"),
    R("rate_preference", "Rate preference"),
    R("fee_preference", "Fees"),
)
DN_PROTECTION = (
    R("cover_reasons", "Reasons for cover"),
    R("cover_types", "Cover types wanted", input="cover_types_0"),
    R("cover_amount", "Amount of cover"),
    R("cover_term_years", "Term of cover"),
    R("monthly_budget", "Monthly budget"),
    R("existing_cover", "Existing cover"),
    R("priorities", "Priorities"),
)
DN_ADVICE = (R("recommendation", "Recommendation rationale"),)

FactFindRules = dict[str, tuple[Requirement, ...]]

# Per kind: the Fact Find's sections (per client) and the D&N's sections.
# A section without requirements (commitments, existing policies) is optional.
FACT_FIND_RULES: dict[str, FactFindRules] = {
    AdviceKind.MORTGAGE: {
        "personal": PERSONAL,
        "addresses": ADDRESSES,
        "employment": EMPLOYMENT,
        "income": INCOME,
        "commitments": (),
        "policies": (),
    },
    AdviceKind.PROTECTION: {
        "personal": PERSONAL,
        "addresses": ADDRESSES,
        "employment": EMPLOYMENT,
        "income": INCOME,
        "commitments": (),
        "health": HEALTH,
        "policies": (),
    },
}
DEMANDS_NEEDS_RULES: dict[str, FactFindRules] = {
    AdviceKind.MORTGAGE: {"mortgage": DN_MORTGAGE, "advice": DN_ADVICE},
    AdviceKind.PROTECTION: {"protection": DN_PROTECTION, "advice": DN_ADVICE},
}


def fact_find_sections(kind: str) -> list[str]:
    """Return the Fact Find sections a case of ``kind`` shows, in order."""
    return list(FACT_FIND_RULES.get(kind, {}))


def demands_needs_sections(kind: str) -> list[str]:
    """Return the Demands & Needs sections a case of ``kind`` shows, in order."""
    return list(DEMANDS_NEEDS_RULES.get(kind, {}))


def missing(requirements: Iterable[Requirement], obj: Any) -> list[Requirement]:
    """Return the requirements ``obj`` (a Fact Find or D&N, maybe unsaved) fails."""
    return [r for r in requirements if r.applies(obj) and not r.met(obj)]


def fact_find_missing(kind: str, section: str, fact_find: Any) -> list[Requirement]:
    """Return what Fact Find ``section`` lacks for a case of ``kind``."""
    return missing(FACT_FIND_RULES.get(kind, {}).get(section, ()), fact_find)


def demands_needs_missing(kind: str, section: str, dn: Any) -> list[Requirement]:
    """Return what Demands & Needs ``section`` lacks for a case of ``kind``."""
    return missing(DEMANDS_NEEDS_RULES.get(kind, {}).get(section, ()), dn)
