from django.urls import path

from crm.contacts.urls_imports import urlpatterns as import_urlpatterns
from crm.contacts.views import contacts, search

app_name = "contacts"

urlpatterns = [
    path("clients/", contacts.contact_list, name="contact_list"),
    path("clients/new/", contacts.contact_create, name="contact_create"),
    path("clients/picker/", search.contact_picker, name="contact_picker"),
    path("clients/<int:contact_id>/", contacts.contact_detail, name="contact_detail"),
    path("clients/<int:contact_id>/edit/", contacts.contact_edit, name="contact_edit"),
    path(
        "clients/<int:contact_id>/archive/",
        contacts.contact_set_archived,
        name="contact_set_archived",
    ),
    path("search/", search.global_search, name="search"),
    *import_urlpatterns,
]
