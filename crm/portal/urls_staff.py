"""Staff routes of the action log (SPEC E8, H2)."""

from django.urls import URLPattern, path

from crm.portal.views import staff

app_name = "actionlog"

urlpatterns: list[URLPattern] = [
    path("cases/<int:case_id>/invite/", staff.clients_invite, name="clients_invite"),
    path(
        "client-actions/<int:action_id>/remind/",
        staff.action_remind,
        name="action_remind",
    ),
    path(
        "client-actions/<int:action_id>/cancel/",
        staff.action_cancel,
        name="action_cancel",
    ),
    path(
        "client-actions/<int:action_id>/review/",
        staff.action_review,
        name="action_review",
    ),
    path(
        "clients/<int:contact_id>/portal-preview/",
        staff.client_preview,
        name="client_preview",
    ),
]
