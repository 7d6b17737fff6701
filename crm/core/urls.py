from django.urls import path

from crm.core import views, views_audit

app_name = "core"

urlpatterns = [
    path("settings/audit-log/", views_audit.audit_log, name="audit_log"),
    path("dev/mailbox/", views.mailbox_list, name="mailbox_list"),
    path("dev/mailbox/<int:mail_id>/", views.mailbox_detail, name="mailbox_detail"),
]
