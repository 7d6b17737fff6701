from django.urls import path

from crm.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_index, name="report_index"),
    path("reports/<str:key>/", views.report_detail, name="report_detail"),
    path("reports/<str:key>/export/", views.report_export, name="report_export"),
]
