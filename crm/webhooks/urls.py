from django.urls import path

from crm.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.endpoint_list, name="endpoint_list"),
    path(
        "settings/webhooks/<int:endpoint_id>/",
        views.endpoint_detail,
        name="endpoint_detail",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/edit/",
        views.endpoint_edit,
        name="endpoint_edit",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/rotate-secret/",
        views.endpoint_rotate_secret,
        name="endpoint_rotate_secret",
    ),
    path(
        "settings/webhooks/<int:endpoint_id>/test/",
        views.endpoint_send_test,
        name="endpoint_send_test",
    ),
    path(
        "settings/webhooks/deliveries/<int:delivery_id>/redrive/",
        views.delivery_redrive,
        name="delivery_redrive",
    ),
]
