from django.contrib import admin

from kontum_cp.admin_site import PortalModelAdmin

from .models import ImportRecord


@admin.register(ImportRecord)
class ImportRecordAdmin(PortalModelAdmin):
    """Read-only: import records are written by imports only."""

    list_display = ["created_at", "user", "source", "kind", "file_name", "dry_run", "rows", "created", "updated",
                    "unchanged", "errors"]
    list_filter = ["kind", "source", "dry_run"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
