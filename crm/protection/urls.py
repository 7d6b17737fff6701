"""Protection routes: policies on a case, the quote page, top-up cases."""

from django.urls import path

from crm.protection import views

app_name = "protection"

urlpatterns = [
    path("cases/<int:case_id>/policies/add/", views.policy_add, name="policy_add"),
    path("cases/<int:case_id>/quotes/", views.quote, name="quote"),
    path(
        "cases/<int:case_id>/quotes/select/",
        views.quote_select,
        name="quote_select",
    ),
    path(
        "cases/<int:case_id>/top-up-case/",
        views.top_up_case_create,
        name="top_up_case_create",
    ),
    path("policies/<int:policy_id>/edit/", views.policy_edit, name="policy_edit"),
    path("policies/<int:policy_id>/remove/", views.policy_remove, name="policy_remove"),
]
