"""Reads of protection cases, their policies and what a quote needs (G1, G2)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from crm.advice import completeness, readiness
from crm.advice.choices import AdviceKind
from crm.advice.factfind.choices import SmokerStatus
from crm.advice.factfind.models import FactFind
from crm.advice.factfind.selectors import CaseFacts
from crm.cases.models import Case, CaseApplicant
from crm.cases.selectors.case_read import case_get
from crm.core.exceptions import NotFound
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.protection.choices import (
    ACTIVE_STATUSES,
    ENDED_STATUSES,
    PolicyStatus,
    PremiumFrequency,
)
from crm.protection.models import Policy
from crm.protection.quotes import QUOTABLE, QuoteRequest

PROTECTION = (AdviceKind.PROTECTION.value,)


def protection_case_get(
    *, firm: Firm, case_id: int, principal: Principal | None = None
) -> Case:
    """Return one of the firm's protection cases the principal may see, or raise."""
    return case_get(
        firm=firm,
        case_id=case_id,
        principal=principal,
        kinds=PROTECTION,
        select=("demands_needs",),
    )


def case_policies(*, firm: Firm, case: Case) -> list[Policy]:
    """Return the case's policies, read once per case object.

    The readiness check and the case page's section both call this; the
    rows are kept in the case's prefetch cache, so the page reads them once.
    """
    prefetch_related_objects(
        [case],
        Prefetch(
            "protection_policies",
            queryset=Policy.objects.filter(firm=firm).order_by("id"),
        ),
    )
    # The reverse relation is added by this app; typed loosely so mypy's
    # answer does not depend on which app's models it reads first.
    related: Any = case
    return list(related.protection_policies.all())


def forget_policies(case: Case) -> None:
    """Drop the policies ``case_policies`` kept on ``case`` (after a write)."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    cache.pop("protection_policies", None)


def has_active_policy(*, firm: Firm, case: Case) -> bool:
    """Return whether the case has a submitted or on-risk policy (G3)."""
    return Policy.objects.filter(
        firm=firm, case=case, status__in=ACTIVE_STATUSES
    ).exists()


def policy_get(
    *, firm: Firm, policy_id: int, principal: Principal | None = None
) -> Policy:
    """Return a policy of a protection case the principal may see, or raise."""
    policy = Policy.objects.filter(firm=firm, pk=policy_id).first()
    if policy is None:
        raise NotFound
    policy.case = protection_case_get(
        firm=firm, case_id=policy.case_id, principal=principal
    )
    return policy


def quote_facts(*, firm: Firm, case: Case) -> CaseFacts:
    """Return what pricing reads: the clients, their Fact Finds, the case's D&N.

    ``case`` comes from ``protection_case_get``, which joined its D&N and
    prefetched its clients; the Fact Finds' rows (addresses and so on) are
    not needed, so not read.
    """
    applicants = list(case.applicants.all())
    found = FactFind.objects.filter(
        firm=firm, contact_id__in=[a.contact_id for a in applicants]
    )
    return CaseFacts(
        case=case,
        applicants=applicants,
        fact_finds={f.contact_id: f for f in found},
        demands_needs=getattr(case, "demands_needs", None),
    )


@dataclass(frozen=True)
class Needed:
    """Something pricing needs that the Fact Find or D&N lacks, with its link."""

    section: str
    label: str
    url: str


@dataclass
class QuoteBasis:
    """Who is priced and the cover the D&N asks for, or what is missing."""

    applicant: CaseApplicant | None
    age: int | None = None
    smoker: bool | None = None
    cover_types: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    term_years: int | None = None
    missing: list[Needed] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """Return whether pricing has everything it needs."""
        return not self.missing

    def request(
        self, *, benefit_type: str, amount: Decimal, term_years: int, cover_basis: str
    ) -> QuoteRequest | None:
        """Return the request pricing this client for the cover, if ready."""
        if self.age is None or self.smoker is None:
            return None
        return QuoteRequest(
            age=self.age,
            smoker=self.smoker,
            benefit_type=benefit_type,
            amount=amount,
            term_years=term_years,
            cover_basis=cover_basis,
        )


def age_on(born: date, today: date) -> int:
    """Return the age last birthday on ``today`` of someone born on ``born``."""
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


def _requirement(rules: tuple[completeness.Requirement, ...], name: str) -> str:
    return next(r for r in rules if r.field == name).input_name


def quote_basis(*, facts: CaseFacts, today: date | None = None) -> QuoteBasis:
    """Return the main client's age and smoking and the D&N's cover (G2).

    Each missing item links to its input on the case page, as the
    readiness card's links do.
    """
    today = today or timezone.localdate()
    url = facts.case.get_absolute_url()
    if not facts.applicants:
        return QuoteBasis(applicant=None, missing=[Needed("Case", "A client", url)])
    applicant = facts.applicants[0]
    ff = facts.fact_find_of(applicant)
    dn = facts.dn()
    basis = QuoteBasis(applicant=applicant)
    name = applicant.contact.display_name

    def need(section: str, label: str, input_name: str, owner: int | None) -> None:
        anchor = readiness.field_id(owner, input_name)
        basis.missing.append(Needed(section, label, f"{url}#{anchor}"))

    if ff.date_of_birth is None:
        name_ = _requirement(completeness.PERSONAL, "date_of_birth")
        need(f"Fact Find of {name}", "Date of birth", name_, applicant.pk)
    else:
        basis.age = age_on(ff.date_of_birth, today)
    if not ff.smoker_status:
        name_ = _requirement(completeness.HEALTH, "smoker_status")
        need(f"Fact Find of {name}", "Smoker status", name_, applicant.pk)
    else:
        basis.smoker = ff.smoker_status == SmokerStatus.CURRENT
    basis.cover_types = [t for t in (dn.cover_types or []) if t in QUOTABLE]
    if not basis.cover_types:
        name_ = _requirement(completeness.DN_PROTECTION, "cover_types")
        need("Demands & Needs", "Cover types wanted", name_, None)
    basis.amount = dn.cover_amount
    if dn.cover_amount is None:
        name_ = _requirement(completeness.DN_PROTECTION, "cover_amount")
        need("Demands & Needs", "Amount of cover", name_, None)
    basis.term_years = dn.cover_term_years
    if not dn.cover_term_years:
        name_ = _requirement(completeness.DN_PROTECTION, "cover_term_years")
        need("Demands & Needs", "Term of cover", name_, None)
    return basis


def monthly_premiums(*, firm: Firm, case_ids: list[int]) -> dict[int, Decimal]:
    """Return each case's policies' premiums as a monthly total, in one query.

    An annual premium counts as a twelfth; a policy not taken up counts not.
    """
    totals: dict[int, Decimal] = {}
    if not case_ids:
        return totals
    rows = (
        Policy.objects.filter(firm=firm, case_id__in=case_ids)
        .exclude(premium=None)
        .exclude(status__in=(PolicyStatus.NOT_TAKEN_UP, *ENDED_STATUSES))
        .values_list("case_id", "premium", "premium_frequency")
    )
    for case_id, premium, frequency in rows:
        amount = Decimal(premium or 0)
        monthly = amount / 12 if frequency == PremiumFrequency.ANNUALLY else amount
        totals[case_id] = totals.get(case_id, Decimal(0)) + monthly
    return totals
