"""Reads for the import/export pages."""
from .models import ImportRecord


def import_record_list():
    return ImportRecord.objects.select_related("user").order_by("-created_at", "-pk")


def recent_import_records(limit=5):
    return list(import_record_list()[:limit])
