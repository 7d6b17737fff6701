from django.urls import path

from crm.compliance import views

app_name = "compliance"

urlpatterns = [
    path("settings/retention/", views.retention_settings, name="retention_settings"),
    path(
        "clients/<int:contact_id>/data-protection/",
        views.contact_data_protection,
        name="contact_data_protection",
    ),
    path(
        "clients/<int:contact_id>/subject-access/",
        views.export_start,
        name="export_start",
    ),
    path("subject-access/<int:export_id>/", views.export_detail, name="export_detail"),
    path(
        "subject-access/<int:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
    path("clients/<int:contact_id>/erase/", views.contact_erase, name="contact_erase"),
]
