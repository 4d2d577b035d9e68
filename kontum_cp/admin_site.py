from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .roles import is_administrator


class PortalAdminSite(admin.AdminSite):
    site_header = _("Cleaner Production Portal — administration")
    site_title = _("CP Portal administration")
    index_title = _("Administration")

    def has_permission(self, request):
        """Only administrators (and superusers) may use the Django admin."""
        return request.user.is_active and is_administrator(request.user)
