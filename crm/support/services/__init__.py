"""Writes about support cases. Import the module and call ``services.x``."""

from crm.support.services.cases import (
    BENEFICIARY_FIXED,
    SupportCaseData,
    concern_change,
    support_case_create,
    support_case_reopen,
    support_case_update,
)
from crm.support.services.closing import support_case_close
from crm.support.services.items import item_add, item_remove, outcome_set_achieved
from crm.support.services.links import service_link, service_unlink
from crm.support.services.outcomes import (
    ScaleData,
    scale_create,
    scale_set_active,
    scale_update,
    scores_record,
)
from crm.support.services.pathways import (
    pathway_create,
    pathway_rename,
    pathway_set_active,
)
from crm.support.services.plans import PlanData, plan_add, plan_delete, plan_update
from crm.support.services.referrals import (
    ReferralData,
    referral_accept,
    referral_decline,
    referral_form_for,
    referral_submit,
)
from crm.support.services.referrals_out import (
    ReferralOutData,
    referral_out_create,
    referral_out_respond,
)
from crm.support.services.safeguarding import (
    case_view_log,
    stale_cases_check,
    stale_digest_send,
)
from crm.support.services.score_links import score_link_create, score_link_submit
from crm.support.services.workload import cases_reassign

__all__ = [
    "BENEFICIARY_FIXED",
    "PlanData",
    "ReferralData",
    "ReferralOutData",
    "ScaleData",
    "SupportCaseData",
    "case_view_log",
    "cases_reassign",
    "concern_change",
    "item_add",
    "item_remove",
    "outcome_set_achieved",
    "pathway_create",
    "pathway_rename",
    "pathway_set_active",
    "plan_add",
    "plan_delete",
    "plan_update",
    "referral_accept",
    "referral_decline",
    "referral_form_for",
    "referral_out_create",
    "referral_out_respond",
    "referral_submit",
    "scale_create",
    "scale_set_active",
    "scale_update",
    "score_link_create",
    "score_link_submit",
    "scores_record",
    "service_link",
    "service_unlink",
    "stale_cases_check",
    "stale_digest_send",
    "support_case_close",
    "support_case_create",
    "support_case_reopen",
    "support_case_update",
]
