"""Routes of the Fact Find and Demands & Needs sections (included by advice.urls)."""

from django.urls import URLPattern, path

from crm.advice.factfind import views
from crm.advice.factfind.sections import DEMANDS_NEEDS, FIELD_SECTIONS, ROW_SECTIONS

BASE = "cases/applicants/<int:applicant_id>/fact-find"

urlpatterns: list[URLPattern] = [
    *(
        path(
            f"{BASE}/{key}/",
            views.fact_find_save,
            {"section": key},
            name=f"fact_find_{key}",
        )
        for key in FIELD_SECTIONS
    ),
    *(
        path(
            f"{BASE}/{key}/{verb}/",
            view,
            {"section": key},
            name=f"fact_find_{key}_{verb}",
        )
        for key in ROW_SECTIONS
        for verb, view in (
            ("add", views.fact_find_row_add),
            ("remove", views.fact_find_row_remove),
        )
    ),
    *(
        path(
            f"cases/<int:case_id>/demands-needs/{key}/",
            views.demands_needs_save,
            {"section": key},
            name=f"demands_needs_{key}",
        )
        for key in DEMANDS_NEEDS
    ),
]
