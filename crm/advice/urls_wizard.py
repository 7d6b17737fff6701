"""URLs of the New Case wizard, added to ``crm/cases/urls.py``'s list."""

from django.urls import URLPattern, path

from crm.advice.wizard import views

urlpatterns: list[URLPattern] = [
    path("cases/new/", views.wizard_start, name="wizard_start"),
    path(
        "cases/new/introducer-branches/",
        views.wizard_branch_options,
        name="wizard_branch_options",
    ),
    path(
        "cases/new/negotiators/",
        views.wizard_negotiator_options,
        name="wizard_negotiator_options",
    ),
    path("cases/new/done/<int:case_id>/", views.wizard_done, name="wizard_done"),
    path("cases/new/<str:step>/", views.wizard_step, name="wizard_step"),
]
