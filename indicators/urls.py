"""URLs of the indicators app, in two modules owned by different features:
annual production reports (data entry) and the progress dashboard."""
from .urls_dashboard import urlpatterns as dashboard_urls
from .urls_reports import urlpatterns as report_urls

app_name = "indicators"
urlpatterns = report_urls + dashboard_urls
