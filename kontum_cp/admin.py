"""Users, groups and permissions in the admin, in the user's language.

The role groups keep their keys ("Data entry", `roles.py`); the admin shows the role's name instead
(*Nhập liệu*, *Lãnh đạo*, *Quản trị*) wherever it names a group. Permissions are rows whose names Django
wrote in English when the models were migrated ("Can add establishment"); the admin shows them as the
model's name and the action, translated when the page is drawn.
"""
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext_lazy

from .roles import group_label

PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "may add"),
    "change": pgettext_lazy("permission", "may change"),
    "delete": pgettext_lazy("permission", "may delete"),
    "view": pgettext_lazy("permission", "may view"),
    "approve": pgettext_lazy("permission", "may approve or return"),  # indicators.approve_annualreport
}


def permission_label(permission):
    """"Cơ sở | được thêm" for add_establishment; a historical model's rows read "Cơ sở (lịch sử)"."""
    model = permission.content_type.model_class()
    action = PERMISSION_ACTIONS.get(permission.codename.split("_", 1)[0])
    if model is None or action is None:
        return str(permission)
    original = getattr(model, "instance_type", None)  # django-simple-history's historical models
    name = capfirst(original._meta.verbose_name if original else model._meta.verbose_name)
    if original:
        name = _("%(name)s (history)") % {"name": name}
    return f"{name} | {action}"


class RoleFilter(admin.RelatedFieldListFilter):
    """The user list's filter by group, with the roles' names."""

    def field_choices(self, field, request, model_admin):
        return [(pk, group_label(name)) for pk, name in super().field_choices(field, request, model_admin)]


class LabelledChoicesMixin:
    """Groups and permissions in the many-to-many boxes of a form, by their names in the user's language."""

    LABELS = {"groups": lambda group: group_label(group.name), "permissions": permission_label,
              "user_permissions": permission_label}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in self.LABELS:
            field.label_from_instance = self.LABELS[db_field.name]
        return field


class PortalGroupAdmin(LabelledChoicesMixin, GroupAdmin):
    list_display = ["role"]

    @admin.display(description=gettext_lazy("Role"), ordering="name")
    def role(self, group):
        return group_label(group.name)

    def action_checkbox(self, group):
        attrs = {"class": "action-select",
                 "aria-label": format_html(_("Select this object for an action - {}"), group_label(group.name))}
        return forms.CheckboxInput(attrs, lambda value: False).render(helpers.ACTION_CHECKBOX_NAME, str(group.pk))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The page title and the breadcrumbs (admin/auth/group/change_form.html) name the role.
        group = self.get_object(request, admin.utils.unquote(object_id))
        if group is not None:
            extra_context = {**(extra_context or {}), "subtitle": group_label(group.name)}
        return super().change_view(request, object_id, form_url, extra_context)


class PortalUserAdmin(LabelledChoicesMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "roles", "is_active"]
    list_filter = ["is_active", "is_superuser", ("groups", RoleFilter)]

    @admin.display(description=gettext_lazy("Roles"))
    def roles(self, user):
        return ", ".join(str(group_label(g.name)) for g in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


for model, model_admin in ((Group, PortalGroupAdmin), (User, PortalUserAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
