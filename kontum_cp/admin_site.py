from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import closing
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


class ClosingCheckedForm(forms.ModelForm):
    """An admin form (or inline row) that refuses a record a closed year or a lock forbids
    (`kontum_cp.closing`), with the rule's message at the top of the form instead of an error page."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        deleting = bool(getattr(self, "cleaned_data", {}).get("DELETE"))
        if self.instance.pk is None and deleting:
            return
        message = closing.refusal(self.instance, deleting=deleting)
        if message:
            self.add_error(None, message)


class ClosingMixin:
    """A record that `kontum_cp.closing` refuses (dated in a closed year, an approved report) is shown
    read-only, without its delete button; a new or changed record that would fall in a closed year is refused
    by the form (`ClosingCheckedForm`)."""

    form = ClosingCheckedForm

    def _locked(self, obj, **kwargs):
        return obj is not None and closing.refusal(obj, stored=obj, **kwargs) is not None

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(obj, deleting=True)

    def delete_queryset(self, request, queryset):
        """The list's "delete selected": nothing is deleted when one of them is refused."""
        for obj in queryset:
            message = closing.refusal(obj, stored=obj, deleting=True)
            if message:
                self.message_user(request, message, messages.ERROR)
                return
        super().delete_queryset(request, queryset)


class PortalModelAdmin(ClosingMixin, GroupedNumbersMixin, admin.ModelAdmin):
    pass


class PortalHistoryAdmin(ClosingMixin, GroupedNumbersMixin, SimpleHistoryAdmin):
    pass


class PortalTabularInline(GroupedNumbersMixin, admin.TabularInline):
    form = ClosingCheckedForm
