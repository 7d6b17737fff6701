"""Kernel routes: the document store of every kind of case (SPEC D5)."""

from django.urls import URLPattern, path

from crm.cases.views import documents

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path(
        "cases/<int:case_id>/documents/",
        documents.document_upload_case,
        name="document_upload_case",
    ),
    path(
        "clients/<int:contact_id>/documents/",
        documents.document_upload_contact,
        name="document_upload_contact",
    ),
    path(
        "documents/<int:document_id>/download/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "documents/<int:document_id>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
]
