"""Income routes (L3): lines on a case, the Income page and its CSV, settings."""

from django.urls import path

from crm.income import views

app_name = "income"

urlpatterns = [
    path("cases/<int:case_id>/income/add/", views.line_add, name="line_add"),
    path("income/<int:line_id>/receive/", views.line_receive, name="line_receive"),
    path("income/<int:line_id>/edit/", views.line_edit, name="line_edit"),
    path("income/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    path("income/", views.income_page, name="income_page"),
    path("income/export/", views.income_export, name="income_export"),
    path("settings/income/", views.income_settings, name="income_settings"),
]
