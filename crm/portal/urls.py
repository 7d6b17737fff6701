"""The client portal's pages, under ``/portal/`` (SPEC H1-H4)."""

from django.urls import URLPattern, path

from crm.advice.factfind.sections import FIELD_SECTIONS, ROW_SECTIONS
from crm.portal.views import client, factfind

FACT_FIND = "actions/<int:action_id>/fact-find"

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
    path(f"{FACT_FIND}/", factfind.fact_find_detail, name="fact_find_detail"),
    path(f"{FACT_FIND}/finish/", factfind.fact_find_finish, name="fact_find_finish"),
    *(
        path(
            f"{FACT_FIND}/{key}/",
            factfind.fact_find_save,
            {"section": key},
            name=f"fact_find_{key}",
        )
        for key in FIELD_SECTIONS
    ),
    *(
        path(
            f"{FACT_FIND}/{key}/{verb}/",
            view,
            {"section": key},
            name=f"fact_find_{key}_{verb}",
        )
        for key in ROW_SECTIONS
        for verb, view in (
            ("add", factfind.fact_find_row_add),
            ("remove", factfind.fact_find_row_remove),
        )
    ),
    path("cases/<int:case_id>/", client.case_detail, name="case_detail"),
]
