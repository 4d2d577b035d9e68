from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .bilingual import mark_english_input
from .forms import is_quantity_field, number_formfield
from .roles import is_administrator


class PortalAdminSite(admin.AdminSite):
    site_header = _("Cleaner Production Portal — administration")
    site_title = _("CP Portal administration")
    index_title = _("Administration")

    def has_permission(self, request):
        """Only administrators (and superusers) may use the Django admin."""
        return request.user.is_active and is_administrator(request.user)


class GroupedNumbersMixin:
    """Quantities in the admin read and show grouped numbers as in the portal's own forms.

    The admin's own number boxes are <input type=number>, which cannot take
    "350.000.000"; years keep them (kontum_cp.forms.is_quantity_field).
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if not is_quantity_field(db_field):
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            return mark_english_input(db_field.name, field)
        field = number_formfield(db_field, **kwargs)
        field.widget.attrs.setdefault("class", "vBigIntegerField")  # the admin's width for long numbers
        return field


class PortalModelAdmin(GroupedNumbersMixin, admin.ModelAdmin):
    pass


class PortalHistoryAdmin(GroupedNumbersMixin, SimpleHistoryAdmin):
    pass


class PortalTabularInline(GroupedNumbersMixin, admin.TabularInline):
    pass
