"""Concert Hub routes: sending a case, amendments, submissions, network IDs."""

from django.urls import path

from crm.concerthub import views

app_name = "concerthub"

urlpatterns = [
    path("cases/<int:case_id>/concert-hub/send/", views.send, name="send"),
    path("cases/<int:case_id>/concert-hub/", views.case_section, name="case_section"),
    path("cases/<int:case_id>/concert-hub/amend/", views.amend, name="amend"),
    path(
        "cases/<int:case_id>/concert-hub/amend/cancel/",
        views.amend_cancel,
        name="amend_cancel",
    ),
    path("submissions/", views.submission_list, name="submission_list"),
    path(
        "submissions/<int:submission_id>/",
        views.submission_detail,
        name="submission_detail",
    ),
    path(
        "submissions/<int:submission_id>/send-again/",
        views.redrive,
        name="redrive",
    ),
    path("settings/concert-hub/", views.network, name="network"),
    path(
        "settings/concert-hub/advisers/<int:membership_id>/",
        views.network_adviser,
        name="network_adviser",
    ),
]
