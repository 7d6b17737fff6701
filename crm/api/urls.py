from django.urls import path

from crm.api import views

app_name = "api_tokens"

urlpatterns = [
    path("settings/api-tokens/", views.token_list, name="token_list"),
    path(
        "settings/api-tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
]
