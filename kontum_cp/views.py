"""The core's own pages: user guide, health check, error pages. The home page is `indicators.views_home`."""
import logging
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

from .access import RefusedWithReason, read_only
from .guide import render_guide

logger = logging.getLogger(__name__)


DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_S = 30  # the Retry-After of the "database unavailable" page


@login_not_required
def healthz(request):
    """Liveness probe for a load balancer: 200 when the database answers, else 503, both as JSON."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS:
        logger.warning("Health check: the database does not answer", exc_info=True)
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


@read_only
def user_guide(request):
    """The user guide in the active language, inside the normal layout."""
    guide = render_guide(get_language())
    ctx = {"guide": guide, "crumbs": [(request.path, _("User guide"))]}
    return render(request, "guide.html", ctx)


# ---------------------------------------------------------------- error pages (handler400 … in urls.py)


@requires_csrf_token
def permission_denied(request, exception):
    """403 inside the layout, with the signed-in user's menus."""
    reason = str(exception) if isinstance(exception, RefusedWithReason) else ""
    return render(request, "403.html", {**_way_back(request), "reason": reason}, status=403)


@requires_csrf_token
def page_not_found(request, exception):
    """404 inside the layout; the exception's text is for developers, so it is not shown."""
    return render(request, "404.html", {**_way_back(request), "request_path": request.path}, status=404)


@requires_csrf_token
def bad_request(request, exception):
    return _error_page(request, "400.html", status=400)


@requires_csrf_token
def server_error(request):
    """500, or 503 when what failed is the database (an error outside a view: loading the session…)."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return _error_page(request, "500.html", status=500)


def database_unavailable(request):
    """503 with Retry-After while the database does not answer; the next request tries it again, so
    the portal comes back by itself. Rendered without anything that needs the database."""
    response = _error_page(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


def request_too_large(request):
    """413 for a request body far over the import limit, refused before it is read."""
    limit_mb = f"{settings.IMPORT_MAX_BYTES / 1048576:.1f}".removesuffix(".0")
    return _error_page(request, "413.html", status=413, extra={"limit_mb": limit_mb})


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (settings.CSRF_FAILURE_VIEW); `reason` goes to the log only."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return _error_page(request, "403_csrf.html", status=403)


def _error_page(request, template_name, *, status, extra=None):
    """An error page rendered without context processors or queries (they may be what failed),
    in the language of the language cookie; a bare page if even the layout cannot be rendered."""
    ctx = {"request": request, "csrf_token": get_token(request), **_way_back(request), **(extra or {})}
    try:
        with translation.override(_cookie_language(request)):
            body = loader.get_template(template_name).render(ctx)
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        body = f"<!DOCTYPE html><title>{status}</title><h1>{status}</h1>"
    return HttpResponse(body, status=status)


def _cookie_language(request):
    # The rule of kontum_cp.middleware.PortalLocaleMiddleware: only the language switch's cookie counts.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _way_back(request):
    """{"back_url": the page the user came from} when it is a page of this site other than this one.

    Only the path is kept, so the link cannot lead off the site; the Host header is compared as
    sent because request.get_host() raises for a host not allowed (a 400 page must still render).
    """
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME")
    same_site = referer.netloc and referer.netloc == host
    back = referer.path + (f"?{referer.query}" if referer.query else "")
    if not same_site or not url_has_allowed_host_and_scheme(back, allowed_hosts=None) \
            or back == request.get_full_path():
        return {"back_url": None}
    return {"back_url": back}
