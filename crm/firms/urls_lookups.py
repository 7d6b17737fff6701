"""Settings pages for the firm's reference lists (A5), in the ``firms`` namespace."""

from django.urls import URLPattern, path

from crm.firms.views import introducers, lookups

urlpatterns: list[URLPattern] = [
    path("settings/branches/", lookups.branch_list, name="branch_list"),
    path(
        "settings/branches/<int:branch_id>/edit/",
        lookups.branch_edit,
        name="branch_edit",
    ),
    path(
        "settings/branches/<int:branch_id>/active/",
        lookups.branch_set_active,
        name="branch_set_active",
    ),
    path("settings/introducers/", introducers.introducer_list, name="introducer_list"),
    path(
        "settings/introducers/<int:introducer_id>/",
        introducers.introducer_detail,
        name="introducer_detail",
    ),
    path(
        "settings/introducers/<int:introducer_id>/active/",
        introducers.introducer_set_active,
        name="introducer_set_active",
    ),
    path(
        "settings/introducers/<int:introducer_id>/branches/",
        introducers.introducer_branch_create,
        name="introducer_branch_create",
    ),
    path(
        "settings/introducer-branches/<int:introducer_branch_id>/edit/",
        introducers.introducer_branch_edit,
        name="introducer_branch_edit",
    ),
    path(
        "settings/introducer-branches/<int:introducer_branch_id>/active/",
        introducers.introducer_branch_set_active,
        name="introducer_branch_set_active",
    ),
    path(
        "settings/introducer-branches/<int:introducer_branch_id>/negotiators/",
        introducers.negotiator_create,
        name="negotiator_create",
    ),
    path(
        "settings/negotiators/<int:negotiator_id>/edit/",
        introducers.negotiator_edit,
        name="negotiator_edit",
    ),
    path(
        "settings/negotiators/<int:negotiator_id>/active/",
        introducers.negotiator_set_active,
        name="negotiator_set_active",
    ),
    path(
        "settings/interaction-types/",
        lookups.interaction_type_list,
        name="interaction_type_list",
    ),
    path(
        "settings/interaction-types/<int:interaction_type_id>/edit/",
        lookups.interaction_type_edit,
        name="interaction_type_edit",
    ),
    path(
        "settings/interaction-types/<int:interaction_type_id>/active/",
        lookups.interaction_type_set_active,
        name="interaction_type_set_active",
    ),
    path(
        "settings/task-categories/",
        lookups.task_category_list,
        name="task_category_list",
    ),
    path(
        "settings/task-categories/<int:task_category_id>/edit/",
        lookups.task_category_edit,
        name="task_category_edit",
    ),
    path(
        "settings/task-categories/<int:task_category_id>/active/",
        lookups.task_category_set_active,
        name="task_category_set_active",
    ),
]
