"""Annual production reports (data entry pages)."""
from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/completeness/", views.completeness, name="completeness"),
    path("reports/<str:code>/new/", views.report_form, name="report_create"),
    path("reports/<str:code>/<int:year>/", views.report_detail, name="report_detail"),
    path("reports/<str:code>/<int:year>/edit/", views.report_form, name="report_edit"),
]
