"""Reads of the Fact Find and the Demands & Needs for a case (F1-F3).

``case_facts`` loads everything the case page, the readiness check and the
completeness rules read, in a fixed number of queries however many clients
and rows a case has.
"""

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch, QuerySet

from crm.advice.factfind.models import DemandsNeeds, FactFind
from crm.advice.factfind.sections import FACT_FIND
from crm.advice.selectors import advice_case_get
from crm.cases.models import Case, CaseApplicant
from crm.core.exceptions import NotFound
from crm.core.prepared import Prepared
from crm.core.principals import Principal
from crm.firms.models import Firm


@dataclass
class CaseFacts:
    """A case's clients with their Fact Finds (unsaved when none yet), and its D&N."""

    case: Case
    applicants: list[CaseApplicant]
    fact_finds: dict[int, FactFind] = field(default_factory=dict)
    demands_needs: DemandsNeeds | None = None

    def fact_find_of(self, applicant: CaseApplicant) -> FactFind:
        """Return the applicant's Fact Find, or an empty unsaved one."""
        found = self.fact_finds.get(applicant.contact_id)
        if found is None:
            found = FactFind(firm_id=applicant.firm_id, contact=applicant.contact)
            self.fact_finds[applicant.contact_id] = found
        return found

    def dn(self) -> DemandsNeeds:
        """Return the case's Demands & Needs, or an empty unsaved one."""
        if self.demands_needs is None:
            self.demands_needs = DemandsNeeds(firm_id=self.case.firm_id, case=self.case)
        return self.demands_needs


def fact_find_list(*, firm: Firm, contact_ids: list[int]) -> list[FactFind]:
    """Return the Fact Finds of these contacts, with their rows prefetched.

    Read by SQL compiled once (``crm.core.prepared``); the rows by the ORM.
    """
    if not contact_ids:
        return []
    return _FACT_FINDS(firm_id=firm.pk, contact_ids=list(dict.fromkeys(contact_ids)))


def _fact_finds(*, firm_id: int, contact_ids: list[int]) -> QuerySet[FactFind]:
    return FactFind.objects.filter(
        firm_id=firm_id, contact_id__in=contact_ids
    ).prefetch_related(
        Prefetch("addresses"), Prefetch("commitments"), Prefetch("policies")
    )


_FACT_FINDS = Prepared(FactFind, _fact_finds)


def demands_needs_get(*, firm: Firm, case: Case) -> DemandsNeeds | None:
    """Return the case's Demands & Needs, or None before the first save."""
    return DemandsNeeds.objects.filter(firm=firm, case=case).first()


def case_facts(
    *,
    firm: Firm,
    case: Case,
    applicants: list[CaseApplicant] | None = None,
    joined: bool = False,
) -> CaseFacts:
    """Return the case's clients, their Fact Finds and the case's D&N.

    Pass ``applicants`` when the caller already has them (with contacts), and
    ``joined=True`` when ``case`` came from ``advice_case_get``, which joined
    its D&N (a case read after a save must not use that stale copy).
    """
    if applicants is None:
        applicants = list(case.applicants.all())
    found = fact_find_list(firm=firm, contact_ids=[a.contact_id for a in applicants])
    if joined:
        dn = getattr(case, "demands_needs", None)
    else:
        dn = demands_needs_get(firm=firm, case=case)
    return CaseFacts(
        case=case,
        applicants=applicants,
        fact_finds={f.contact_id: f for f in found},
        demands_needs=dn,
    )


def applicant_get(
    *, firm: Firm, applicant_id: int, principal: Principal | None = None
) -> CaseApplicant:
    """Return a client of one of the firm's advice cases they may see, or raise.

    The applicant's ``case`` is the full advice case (``advice_case_get``),
    so a support case's client or a hidden case is ``NotFound``.
    """
    applicant = (
        CaseApplicant.objects.filter(firm=firm, pk=applicant_id)
        .select_related("contact")
        .first()
    )
    if applicant is None:
        raise NotFound
    applicant.case = advice_case_get(
        firm=firm, case_id=applicant.case_id, principal=principal
    )
    return applicant


def fact_find_row_get(*, firm: Firm, section: str, row_id: int) -> Model:
    """Return the firm's row ``row_id`` of row section ``section``, or raise.

    Whose Fact Find the row is on is the caller's to check (a service
    refuses a row of another client's Fact Find).
    """
    model = FACT_FIND[section].model
    if model is None:
        msg = f"Not a row section: {section!r}"
        raise ValueError(msg)
    row = model._default_manager.filter(firm=firm, pk=row_id).first()
    if row is None:
        raise NotFound
    return row
