from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    """Spreadsheet import and export (CSV, XLSX)."""

    name = "dataio"
    verbose_name = _("Import and export")
