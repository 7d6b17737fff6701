"""The support module's tables: cases, outcomes, referrals (SPEC I1-I11)."""

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

__all__ = [
    "ExternalService",
    "OpenPeriod",
    "OutcomeArea",
    "OutcomeScale",
    "Pathway",
    "PlannedSupport",
    "Referral",
    "ReferralForm",
    "Score",
    "ScoreLink",
    "ScoreSet",
    "SupportDetails",
    "SupportItem",
]
