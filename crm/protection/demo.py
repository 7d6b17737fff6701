"""Demo policies on the advice firm's protection cases (G1-G3).

The first open protection cases get, in turn: a complete quoted policy, a
policy with a benefit type Concert Hub does not take (PMI), an on-risk
policy (so a new quote meets the top-up guard), and a policy still missing
its premium.
"""

from decimal import Decimal

from crm.advice.choices import CLOSED_STATUSES, AdviceKind
from crm.cases.models import Case
from crm.firms.demo import ADVICE_FIRM
from crm.firms.models import Firm
from crm.protection import services
from crm.protection.choices import BenefitType, CoverBasis, PolicyStatus
from crm.protection.models import Policy
from crm.protection.services import PolicyData

PLANS: tuple[tuple[PolicyData, ...], ...] = (
    (
        PolicyData(
            provider="Legal & General",
            product="Life Insurance",
            benefit_type=BenefitType.LIFE,
            benefit_amount=Decimal(250000),
            premium=Decimal("15.20"),
            term_years=25,
            cover_basis=CoverBasis.DECREASING,
            status=PolicyStatus.RECOMMENDED,
        ),
    ),
    (
        PolicyData(
            provider="Aviva",
            product="Simple Life Cover",
            benefit_type=BenefitType.LIFE,
            benefit_amount=Decimal(180000),
            premium=Decimal("11.40"),
            term_years=20,
        ),
        PolicyData(
            provider="Bupa",
            product="By You",
            benefit_type=BenefitType.PMI,
            benefit_amount=Decimal(50000),
            premium=Decimal("62.00"),
            term_years=1,
        ),
    ),
    (
        PolicyData(
            provider="Royal London",
            product="Life Cover",
            benefit_type=BenefitType.LIFE,
            benefit_amount=Decimal(200000),
            premium=Decimal("14.05"),
            term_years=25,
            status=PolicyStatus.ON_RISK,
        ),
    ),
    (
        PolicyData(
            provider="Zurich",
            benefit_type=BenefitType.INCOME_PROTECTION,
            benefit_amount=Decimal(2000),
            term_years=20,
        ),
    ),
)


def seed(firms: dict[str, Firm]) -> None:
    """Add policies to the advice firm's first open protection cases, once."""
    firm = firms[ADVICE_FIRM]
    if Policy.objects.filter(firm=firm).exists():
        return
    cases = list(
        Case.objects.filter(firm=firm, kind=AdviceKind.PROTECTION)
        .exclude(status__in=CLOSED_STATUSES)
        .prefetch_related("applicants__contact")
        .order_by("id")[: len(PLANS)]
    )
    for case, plan in zip(cases, PLANS, strict=False):
        names = " and ".join(a.contact.display_name for a in case.applicants.all())
        for data in plan:
            services.policy_add(
                firm=firm,
                actor=case.owner,
                case=case,
                data=PolicyData(**{**data.__dict__, "lives_assured": names}),
            )
