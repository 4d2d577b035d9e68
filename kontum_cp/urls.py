from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from indicators import views_home

from . import views

# Both pages of the password change are under "Change your password" (the current page in the breadcrumbs).
PASSWORD_CRUMBS = [(None, _("Change your password"))]

urlpatterns = [
    path("", views_home.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(
        title=_("Change your password"), extra_context={"crumbs": PASSWORD_CRUMBS}), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(
        title=_("Password changed"), extra_context={"crumbs": PASSWORD_CRUMBS}), name="password_change_done"),
    # The language switch works on the sign-in page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("guide/", views.user_guide, name="user_guide"),
    path("healthz", views.healthz, name="healthz"),
    path("establishments/", include("establishments.urls")),
    path("indicators/", include("indicators.urls")),
    path("training/", include("training.urls")),
    path("data/", include("dataio.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

# Error pages inside the portal's layout, in the user's language (kontum_cp/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
