"""Reads only the advice Cases list and page need (D1, D2): moves, leads.

The list itself is the kernel's ``crm.cases.selectors.case_list``.
"""

from django.db.models import Count

from crm.advice.choices import TRANSITIONS, AdviceKind, AdviceStatus
from crm.cases.models import Case, CaseApplicant
from crm.cases.selectors.case_read import CASE_RELATED, case_get
from crm.core.principals import Principal
from crm.firms.models import Firm
from crm.leads.models import Lead


def case_moves(case: Case) -> list[AdviceStatus]:
    """Return the stages ``case_move`` accepts for ``case``, in pipeline order."""
    allowed = TRANSITIONS.get(case.kind, {}).get(case.status, frozenset())
    return [AdviceStatus(s) for s in TRANSITIONS.get(case.kind, {}) if s in allowed]


ADVICE_KINDS = (AdviceKind.MORTGAGE.value, AdviceKind.PROTECTION.value)

# What the case page shows of a case's details: its mortgage and the case it
# reviews, the Remortgage case opened from it, its Demands & Needs.
ADVICE_DETAILS = ("mortgage__review_of", "remortgage_review__case", "demands_needs")


def advice_case_get(
    *,
    firm: Firm,
    case_id: int,
    principal: Principal | None = None,
    details: tuple[str, ...] = ADVICE_DETAILS,
) -> Case:
    """Return one of the firm's advice cases with its mortgage details and D&N.

    The lead it came from is not joined: the page links to it by its id. A
    caller that shows none of the details, or fewer, names them in
    ``details`` (each one joined costs planning time: ``case_get``).
    """
    return case_get(
        firm=firm,
        case_id=case_id,
        principal=principal,
        kinds=ADVICE_KINDS,
        related=tuple(name for name in CASE_RELATED if name != "lead"),
        select=details,
    )


def leads_without_case(
    *, firm: Firm, contact_ids: list[int], limit: int = 5
) -> list[Lead]:
    """Return open or converted leads of these clients who are on no case (seed 001)."""
    if not contact_ids:
        return []
    on_a_case = CaseApplicant.objects.filter(firm=firm, contact_id__in=contact_ids)
    return list(
        Lead.objects.filter(firm=firm, contact_id__in=contact_ids)
        .exclude(contact_id__in=on_a_case.values("contact_id"))
        .select_related("contact")
        .order_by("-created_at", "-id")[:limit]
    )


def stage_counts(*, firm: Firm, owner_id: int) -> list[tuple[str, str, int]]:
    """Return ``(status, label, count)`` of the owner's open advice cases (L1).

    Stages come in pipeline order, mortgage stages before protection ones;
    stages with no cases are left out. One grouped query.
    """
    counts = dict(
        Case.objects.filter(
            firm=firm, owner_id=owner_id, is_open=True, kind__in=ADVICE_KINDS
        )
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [
        (status.value, str(status.label), counts[status.value])
        for status in AdviceStatus
        if counts.get(status.value)
    ]
