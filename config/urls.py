"""Root URLconf: each app mounts its own urls module."""

from django.contrib import admin
from django.urls import include, path

from crm.api.main import urls as api_urls

urlpatterns = [
    path("", include("crm.reports.urls")),
    path("", include("crm.firms.urls")),
    path("", include("crm.core.urls")),
    path("", include("crm.contacts.urls")),
    path("", include("crm.leads.urls")),
    path("", include("crm.tasks.urls")),
    path("", include("crm.interactions.urls")),
    path("", include("crm.cases.urls")),
    path("", include("crm.advice.urls")),
    path("", include("crm.support.urls")),
    path("", include("crm.support.urls_public")),
    path("", include("crm.protection.urls")),
    path("", include("crm.concerthub.urls")),
    path("", include("crm.income.urls")),
    path("", include("crm.complaints.urls")),
    path("", include("crm.portal.urls_staff")),
    path("", include("crm.compliance.urls")),
    path("portal/", include("crm.portal.urls")),
    path("", include("crm.api.urls")),
    path("", include("crm.webhooks.urls")),
    path("api/v1/", api_urls()),
    path("platform-admin/", admin.site.urls),
]
