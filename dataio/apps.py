from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    """Spreadsheet import and export (CSV, XLSX)."""

    name = "dataio"
    verbose_name = _("Import and export")

    def ready(self):
        # The list pages of every app download through kontum_cp.list_exports, in the import's columns.
        from kontum_cp.list_exports import register_writer

        from .exporters import export_response

        register_writer(export_response)
