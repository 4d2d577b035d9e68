from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    """The Django admin, restricted to the Administrator role."""

    default_site = "kontum_cp.admin_site.PortalAdminSite"


class SignInAttemptsConfig(AxesConfig):
    """django-axes (sign-in throttling, kontum_cp/signin.py) under a name people read in the admin."""

    verbose_name = _("Sign-in attempts")


class PortalConfig(AppConfig):
    """Project-wide pieces: roles, the home page, shared model bases."""

    name = "kontum_cp"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import middleware, roles

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="portal-roles")
        user_logged_in.connect(middleware.note_sign_in, dispatch_uid="portal-session-activity")
