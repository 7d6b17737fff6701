"""The client portal's pages, under ``/portal/`` (SPEC H1-H4)."""

from django.urls import URLPattern, path

from crm.portal.views import client

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("", client.home, name="home"),
    path("login/", client.login, name="login"),
    path("logout/", client.logout, name="logout"),
    path(
        "invitations/<str:token>/",
        client.invitation_accept,
        name="invitation_accept",
    ),
    path("actions/", client.action_list, name="action_list"),
    path("actions/<int:action_id>/", client.action_detail, name="action_detail"),
    path("actions/<int:action_id>/upload/", client.action_upload, name="action_upload"),
    path(
        "actions/<int:action_id>/consent/",
        client.consent_confirm,
        name="consent_confirm",
    ),
    path("cases/<int:case_id>/", client.case_detail, name="case_detail"),
]
