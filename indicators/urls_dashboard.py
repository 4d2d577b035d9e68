"""Progress dashboard: page, drill-downs, chart SVGs, exports, printable report."""
from django.urls import path

from . import views_dashboard as views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/report/", views.dashboard_report, name="dashboard_report"),
    path("dashboard/export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path("dashboard/charts/<slug:name>.svg", views.dashboard_chart, name="dashboard_chart"),
    path("dashboard/<slug:code>/", views.indicator_detail, name="indicator_detail"),
]
