"""Concert Hub test data: network IDs written directly, ready protection cases."""

from typing import Any

from crm.cases.models import Case
from crm.concerthub.choices import SubmissionStatus
from crm.concerthub.models import NetworkAdviser, NetworkFirm, Submission
from crm.core.testing.isolation import register
from crm.firms.models import Firm, User
from crm.firms.tests.factories import MembershipFactory
from crm.protection.tests.factories import make_policy, protection_case

# The simulator's demo network IDs (simulator/contract.py), always valid there.
FIRM_ID = "F100001"
ADVISER_UID = "A200001"
OTHER_FIRM_ADVISER_UID = "A200003"


def set_network(
    firm: Firm, adviser: User | None = None, uid: str = ADVISER_UID
) -> None:
    """Give ``firm`` the demo Firm ID and ``adviser`` a UID, without the partner."""
    NetworkFirm.objects.update_or_create(
        firm=firm, defaults={"network_firm_id": FIRM_ID, "partner_name": "Harbour"}
    )
    if adviser is not None:
        NetworkAdviser.objects.update_or_create(
            firm=firm, user=adviser, defaults={"adviser_uid": uid}
        )


def ready_case(firm: Firm, *, owner: User | None = None, **policy: Any) -> Case:
    """Return a protection case with nothing blocking a send."""
    if owner is None:
        owner = MembershipFactory(firm=firm).user
    case = protection_case(firm, owner=owner)
    make_policy(case, **policy)
    set_network(firm, owner)
    return case


def make_submission(firm: Firm, **fields: Any) -> Submission:
    """Return a rejected submission on a new protection case (for isolation)."""
    case = protection_case(firm, complete=False)
    return Submission.objects.create(
        firm=firm,
        case=case,
        number=1,
        status=fields.pop("status", SubmissionStatus.REJECTED),
        idempotency_key=f"test-{case.pk}",
        **fields,
    )


register("concerthub:case_id")(lambda firm: protection_case(firm, complete=False))
register("concerthub:submission_id")(make_submission)
