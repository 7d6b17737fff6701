"""The support module's tables: cases, outcomes, referrals (SPEC I1-I12)."""

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

__all__ = [
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
    "SupportDetails",
    "SupportItem",
]
