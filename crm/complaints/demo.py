"""Demo complaints in both firms, one in each state of the register (M5).

The advice firm: open, due this week (received seven weeks ago), overdue,
a summary resolution, and resolved upheld (with redress), partly upheld and
not upheld. The charity: service complaints on support cases, one open and
one resolved.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from crm.cases.models import Case
from crm.complaints import services
from crm.complaints.choices import ComplaintCategory, ComplaintOutcome, ComplaintRoute
from crm.complaints.models import Complaint
from crm.complaints.services import ComplaintData, ResolutionData
from crm.firms.choices import Role
from crm.firms.demo import ADVICE_FIRM, SUPPORT_FIRM
from crm.firms.models import Firm, Membership

# (days ago received, category, route, what was said, resolution or None)
Plan = tuple[int, str, str, str, tuple[str, int, str | None] | None]
ADVICE: tuple[Plan, ...] = (
    (
        20,
        ComplaintCategory.SERVICE,
        ComplaintRoute.STANDARD,
        "The client waited three weeks for a call back about their mortgage offer.",
        None,
    ),
    (
        49,
        ComplaintCategory.FEES,
        ComplaintRoute.STANDARD,
        "The client says the broker fee was not explained before the application.",
        None,
    ),
    (
        60,
        ComplaintCategory.ADVICE,
        ComplaintRoute.STANDARD,
        "The client feels they were advised into a longer fixed rate than they wanted.",
        None,
    ),
    (
        1,
        ComplaintCategory.COMMUNICATION,
        ComplaintRoute.SUMMARY,
        "Our letter named the wrong lender; the client wants it corrected.",
        None,
    ),
    (
        90,
        ComplaintCategory.SERVICE,
        ComplaintRoute.STANDARD,
        "The application was submitted late and the rate was withdrawn.",
        (ComplaintOutcome.UPHELD, 40, "250.00"),
    ),
    (
        120,
        ComplaintCategory.ADVICE,
        ComplaintRoute.STANDARD,
        "The client says life cover was pushed when they asked about a mortgage.",
        (ComplaintOutcome.NOT_UPHELD, 50, None),
    ),
    (
        75,
        ComplaintCategory.STAFF,
        ComplaintRoute.STANDARD,
        "The client found the adviser abrupt on the phone.",
        (ComplaintOutcome.PARTLY_UPHELD, 30, "50.00"),
    ),
)
SUPPORT: tuple[Plan, ...] = (
    (
        12,
        ComplaintCategory.SERVICE,
        ComplaintRoute.STANDARD,
        "The client missed two planned appointments that were not rearranged.",
        None,
    ),
    (
        70,
        ComplaintCategory.STAFF,
        ComplaintRoute.STANDARD,
        "The client felt their worker did not listen at the first meeting.",
        (ComplaintOutcome.PARTLY_UPHELD, 35, None),
    ),
)


def _seed_firm(firm: Firm, plans: tuple[Plan, ...], today: datetime.date) -> None:
    owner = (
        Membership.objects.filter(firm=firm, role=Role.OWNER, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if owner is None:
        return
    cases = list(Case.objects.filter(firm=firm).order_by("id")[: len(plans)])
    for case, (days, category, route, said, resolution) in zip(
        cases, plans, strict=False
    ):
        received = today - datetime.timedelta(days=days)
        complaint = services.complaint_log(
            firm=firm,
            actor=owner.user,
            data=ComplaintData(
                received_on=received,
                category=category,
                route=route,
                summary=said,
                handler=owner.user,
                case=case,
            ),
            today=today,
        )
        if resolution is not None:
            outcome, after, redress = resolution
            services.complaint_resolve(
                firm=firm,
                actor=owner.user,
                complaint=complaint,
                data=ResolutionData(
                    outcome=outcome,
                    final_response_on=received + datetime.timedelta(days=after),
                    redress=Decimal(redress) if redress else None,
                    resolution="Final response letter sent with our findings.",
                ),
                today=today,
            )


def seed(firms: dict[str, Firm]) -> None:
    """Add the demo complaints to each firm that has none."""
    today = timezone.localdate()
    for name, plans in ((ADVICE_FIRM, ADVICE), (SUPPORT_FIRM, SUPPORT)):
        firm = firms[name]
        if not Complaint.objects.filter(firm=firm).exists():
            _seed_firm(firm, plans, today)
