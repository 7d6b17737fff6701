"""CSV import and export of contacts (B5), spliced into the ``contacts`` namespace."""

from django.urls import URLPattern, path

from crm.contacts.views import exports, imports

urlpatterns: list[URLPattern] = [
    path("clients/import/", imports.import_start, name="import_start"),
    path(
        "clients/import/<int:contact_import_id>/",
        imports.import_detail,
        name="import_detail",
    ),
    path(
        "clients/import/<int:contact_import_id>/mapping/",
        imports.import_mapping,
        name="import_mapping",
    ),
    path(
        "clients/import/<int:contact_import_id>/progress/",
        imports.import_progress,
        name="import_progress",
    ),
    path(
        "clients/import/<int:contact_import_id>/restart/",
        imports.import_restart,
        name="import_restart",
    ),
    path(
        "clients/import/<int:contact_import_id>/rejected.csv",
        imports.import_errors_csv,
        name="import_errors_csv",
    ),
    path("clients/export.csv", exports.contact_export, name="contact_export"),
]
