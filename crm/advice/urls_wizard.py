"""URLs of the New Case wizard, added to ``crm/cases/urls.py``'s list."""

from django.urls import URLPattern, path

from crm.advice.wizard import views

urlpatterns: list[URLPattern] = [
    path("cases/new/", views.wizard_start, name="wizard_start"),
    path("cases/new/done/<int:case_id>/", views.wizard_done, name="wizard_done"),
    path("cases/new/<str:step>/", views.wizard_step, name="wizard_step"),
]
