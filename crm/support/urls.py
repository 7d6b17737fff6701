from django.urls import path

from crm.support.views import (
    activity,
    cases,
    funder,
    handover,
    items,
    outcomes,
    pathways,
    plans,
    referrals,
    referrals_out,
    safeguarding,
    services,
    workload,
)

app_name = "support"

CASE = "support/cases/<int:case_id>"

urlpatterns = [
    path("support/cases/", cases.case_list, name="case_list"),
    path("support/cases/export.csv", cases.case_export, name="case_export"),
    path("support/cases/new/", cases.case_create, name="case_create"),
    path(f"{CASE}/", cases.case_detail, name="case_detail"),
    path(f"{CASE}/edit/", cases.case_edit, name="case_edit"),
    path(f"{CASE}/close/", cases.case_close, name="case_close"),
    path(f"{CASE}/reopen/", cases.case_reopen, name="case_reopen"),
    path(f"{CASE}/concern/", cases.concern_change, name="concern_change"),
    path(f"{CASE}/handover/", handover.case_handover, name="case_handover"),
    path(
        f"{CASE}/interactions/",
        activity.case_interactions,
        name="case_interactions",
    ),
    path(f"{CASE}/items/", items.item_add, name="item_add"),
    path(f"{CASE}/plans/new/", plans.plan_create, name="plan_create"),
    path(f"{CASE}/services/new/", services.service_link, name="service_link"),
    path(f"{CASE}/scores/new/", outcomes.scores_record, name="scores_record"),
    path(f"{CASE}/scores/link/", outcomes.score_link_create, name="score_link_create"),
    path("support/referrals/", referrals.referral_list, name="referral_list"),
    path(
        "support/referrals/<int:referral_id>/",
        referrals.referral_detail,
        name="referral_detail",
    ),
    path(
        "support/referrals/<int:referral_id>/accept/",
        referrals.referral_accept,
        name="referral_accept",
    ),
    path(
        "support/referrals/<int:referral_id>/decline/",
        referrals.referral_decline,
        name="referral_decline",
    ),
    path("support/workload/", workload.workload, name="workload"),
    path(
        "support/workload/reassign/",
        workload.workload_reassign,
        name="workload_reassign",
    ),
    path("support/case-views/", safeguarding.case_view_list, name="case_view_list"),
    path("support/funder-report/", funder.funder_report, name="funder_report"),
    path(
        "support/funder-report/export.csv",
        funder.funder_report_export,
        name="funder_report_export",
    ),
    path("settings/outcome-scales/", outcomes.scale_list, name="scale_list"),
    path(
        "settings/outcome-scales/<int:scale_id>/edit/",
        outcomes.scale_edit,
        name="scale_edit",
    ),
    path(
        "settings/outcome-scales/<int:scale_id>/active/",
        outcomes.scale_set_active,
        name="scale_set_active",
    ),
    path("support/items/<int:item_id>/remove/", items.item_remove, name="item_remove"),
    path(
        "support/items/<int:item_id>/achieved/",
        items.outcome_achieved,
        name="outcome_achieved",
    ),
    path("support/plans/<int:plan_id>/edit/", plans.plan_edit, name="plan_edit"),
    path("support/plans/<int:plan_id>/delete/", plans.plan_delete, name="plan_delete"),
    path(
        "support/services/<int:link_id>/unlink/",
        services.service_unlink,
        name="service_unlink",
    ),
    path(
        "support/services/<int:link_id>/refer/",
        referrals_out.referral_out_create,
        name="referral_out_create",
    ),
    path("settings/pathways/", pathways.pathway_list, name="pathway_list"),
    path(
        "settings/pathways/<int:pathway_id>/edit/",
        pathways.pathway_edit,
        name="pathway_edit",
    ),
    path(
        "settings/pathways/<int:pathway_id>/active/",
        pathways.pathway_set_active,
        name="pathway_set_active",
    ),
]
