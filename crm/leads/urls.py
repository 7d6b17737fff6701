from django.urls import path

from crm.leads import views

app_name = "leads"

urlpatterns = [
    path("leads/", views.lead_board, name="lead_board"),
    path("leads/list/", views.lead_list, name="lead_list"),
    path("leads/new/", views.lead_create, name="lead_create"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead_detail"),
    path("leads/<int:lead_id>/edit/", views.lead_edit, name="lead_edit"),
    path("leads/<int:lead_id>/move/", views.lead_move, name="lead_move"),
]
