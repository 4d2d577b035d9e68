"""URLs of the indicators app: annual production reports (data entry) and the progress dashboard."""
from django.urls import path

from . import views_dashboard as dashboard
from . import views_publications as publications
from . import views_reports as reports

app_name = "indicators"
urlpatterns = [
    path("reports/", reports.report_list, name="report_list"),
    path("reports/completeness/", reports.completeness, name="completeness"),
    path("reports/<str:code>/new/", reports.report_form, name="report_create"),
    path("reports/<str:code>/<int:year>/", reports.report_detail, name="report_detail"),
    path("reports/<str:code>/<int:year>/edit/", reports.report_form, name="report_edit"),
    path("reports/<str:code>/<int:year>/state/", reports.report_transition, name="report_transition"),
    # The dashboard: page, printable report, exports, chart SVGs, drill-downs.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/report/", dashboard.dashboard_report, name="dashboard_report"),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard_export"),
    path("dashboard/charts/<slug:name>.svg", dashboard.dashboard_chart, name="dashboard_chart"),
    path("dashboard/publish/", publications.publish, name="dashboard_publish"),
    path("dashboard/<slug:code>/", dashboard.indicator_detail, name="indicator_detail"),
    path("dashboard/<slug:code>/reductions.csv", dashboard.reductions_csv, name="reductions_csv"),
    # Published figures: a stable address each, a printed report that never changes, a comparison with now.
    path("published/<int:pk>/", publications.publication_detail, name="publication"),
    path("published/<int:pk>/report/", publications.publication_report, name="publication_report"),
    path("published/<int:pk>/compare/", publications.publication_compare, name="publication_compare"),
]
