"""The support module's tables: cases, outcomes, referrals, safeguarding (I1-I14)."""

from crm.support.models.cases import (
    ExternalService,
    OpenPeriod,
    Pathway,
    PlannedSupport,
    SupportDetails,
    SupportItem,
)
from crm.support.models.outcomes import (
    OutcomeArea,
    OutcomeScale,
    Score,
    ScoreLink,
    ScoreSet,
)
from crm.support.models.referrals import Referral, ReferralForm
from crm.support.models.referrals_out import ReferralOut, ReferralOutUpdate
from crm.support.models.safeguarding import CaseView, StaleCaseAlert
from crm.support.tally.models import ScoreTally

__all__ = [
    "CaseView",
    "ExternalService",
    "OpenPeriod",
    "OutcomeArea",
    "OutcomeScale",
    "Pathway",
    "PlannedSupport",
    "Referral",
    "ReferralForm",
    "ReferralOut",
    "ReferralOutUpdate",
    "Score",
    "ScoreLink",
    "ScoreSet",
    "ScoreTally",
    "StaleCaseAlert",
    "SupportDetails",
    "SupportItem",
]
