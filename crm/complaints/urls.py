"""Routes of the complaints register (M5)."""

from django.urls import path

from crm.complaints import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/export/", views.complaint_export, name="complaint_export"),
    path(
        "complaints/<int:complaint_id>/",
        views.complaint_detail,
        name="complaint_detail",
    ),
    path(
        "complaints/<int:complaint_id>/edit/",
        views.complaint_edit,
        name="complaint_edit",
    ),
]
