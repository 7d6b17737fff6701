from django.urls import path

from crm.interactions import views

app_name = "interactions"

urlpatterns = [
    path("interactions/new/", views.interaction_create, name="interaction_create"),
    path("interactions/notes/new/", views.note_create, name="note_create"),
]
