"""Demo Concert Hub data for the advice firm (G4-G6, issue 16 item 8).

The firm gets the simulator's demo network IDs (F100001; advisers A200001
and A200002, always valid there), written directly because the simulator
need not be running while the demo loads. Then, through the services:

- the first open protection case stays ready to send (seed 003's walk);
- the third is sent: the worker delivers it and it becomes Received;
- the first open case with no policy and nothing else missing gets a policy
  without a term, which our readiness allows but Concert Hub refuses: sent,
  it comes back Rejected with a troubleshooting panel.

Sends are queued; the outbox worker that ``make run`` starts delivers them.
"""

from decimal import Decimal

from crm.advice.choices import CLOSED_STATUSES, AdviceKind
from crm.advice.readiness import case_readiness
from crm.cases.models import Case
from crm.concerthub import services
from crm.concerthub.models import NetworkAdviser, NetworkFirm, Submission
from crm.firms.demo import ADVICE_FIRM
from crm.firms.models import Firm
from crm.protection import services as protection
from crm.protection.choices import BenefitType
from crm.protection.services import PolicyData

FIRM_ID = ("F100001", "Harbour Mortgages")
ADVISER_UIDS = (("A200001", "Alex Adviser"), ("A200002", "Sam Adviser"))
SENT_INDEX = 2
NO_TERM_POLICY = PolicyData(
    provider="Legal & General",
    product="Critical Illness Cover",
    benefit_type=BenefitType.CRITICAL_ILLNESS,
    benefit_amount=Decimal(100000),
    premium=Decimal("32.60"),
)


def _network(firm: Firm, cases: list[Case]) -> None:
    NetworkFirm.objects.get_or_create(
        firm=firm,
        defaults={"network_firm_id": FIRM_ID[0], "partner_name": FIRM_ID[1]},
    )
    advisers = []
    for case in cases:
        if case.owner_id is not None and case.owner_id not in advisers:
            advisers.append(case.owner_id)
    for user_id, (uid, name) in zip(advisers, ADVISER_UIDS, strict=False):
        NetworkAdviser.objects.get_or_create(
            firm=firm,
            user_id=user_id,
            defaults={"adviser_uid": uid, "partner_name": name},
        )


def _policy_only_missing(firm: Firm, case: Case) -> bool:
    blockers = case_readiness(firm=firm, case=case)
    return [b.field for b in blockers] == ["policies"]


def seed(firms: dict[str, Firm]) -> None:
    """Set the network IDs and send two demo cases, once."""
    firm = firms[ADVICE_FIRM]
    cases = list(
        Case.objects.filter(firm=firm, kind=AdviceKind.PROTECTION)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("owner")
        .order_by("id")
    )
    _network(firm, cases)
    if Submission.objects.filter(firm=firm).exists() or len(cases) <= SENT_INDEX:
        return
    sent = cases[SENT_INDEX]
    if not case_readiness(firm=firm, case=sent):
        services.submission_send(firm=firm, actor=sent.owner, case=sent)
    for case in cases[SENT_INDEX + 1 :]:
        if _policy_only_missing(firm, case):
            protection.policy_add(
                firm=firm,
                actor=case.owner,
                case=case,
                data=NO_TERM_POLICY,
            )
            services.submission_send(firm=firm, actor=case.owner, case=case)
            break
