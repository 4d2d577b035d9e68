import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .roles import has_role

logger = logging.getLogger(__name__)


class PortalLocaleMiddleware:
    """Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which
    would show English to an official whose browser happens to be in English;
    here only the explicit choice (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """Answer 400 to a request whose address or query string holds a NUL character.

    No page has a use for it, and PostgreSQL refuses it in any query ("A string
    literal cannot contain NUL"), which would otherwise become a server error on
    whichever page passed it to the database. Form fields refuse it themselves
    with a message (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                          for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(_("The address holds a character that is not allowed."))
        return self.get_response(request)


LAST_SEEN = "portal_last_seen"  # in the session: when it was last renewed (seconds since the epoch)
RENEWAL_STEP = 60  # seconds


class SessionActivityMiddleware:
    """A signed-in session lasts SESSION_COOKIE_AGE (SESSION_IDLE_SECONDS) after its last use.

    Each request of a signed-in user renews the session's expiry, in the database and in the cookie, by
    saving it again; to spare a write on every request this happens at most once every RENEWAL_STEP
    seconds, so the idle limit holds to within a minute. Anonymous visitors get no session from this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(LAST_SEEN, 0) >= RENEWAL_STEP:
                session[LAST_SEEN] = now  # modified: SessionMiddleware saves it with a new expiry
        return self.get_response(request)


def note_sign_in(sender, request, user, **kwargs):
    """user_logged_in: a new session starts as just used (kontum_cp.apps connects it)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class PermissionsPolicyMiddleware:
    """A Permissions-Policy header on every response (settings.PERMISSIONS_POLICY): the browser features
    that no page uses (camera, microphone, location, payment …) are switched off, also for anything that
    might be injected into a page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class NoRoleMiddleware:
    """A signed-in user without a role (no role group, not a superuser) sees only the "no role yet" page.

    Whoever an administrator has not yet put in a role group must not read programme data or exports. The
    pages that remain open are the ones a user needs whatever the role: sign-in and sign-out, the password
    change, the language switch and the liveness probe; static files and error pages never reach a view.
    """

    OPEN_PAGES = frozenset({"login", "logout", "password_change", "password_change_done", "set_language",
                            "healthz"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or has_role(user):
            return None
        match = request.resolver_match
        if match is not None and not match.namespace and match.url_name in self.OPEN_PAGES:
            return None
        if match is not None and match.namespace == "api":
            return None  # the read-only API refuses it itself (403 in JSON, its own role rule: api/permissions.py)
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        return render(request, "no_role.html", status=403)


class DatabaseUnavailableMiddleware:
    """A page in the user's language (503, Retry-After) instead of a server error while the database does
    not answer (django.db OperationalError or InterfaceError). This catches what a view raises; what the
    other middleware raises (the session, the signed-in user) reaches handler500, which answers the same
    (kontum_cp.views.server_error). Nothing is kept: the next request connects again, so the portal
    recovers by itself when the database returns."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .views import DATABASE_ERRORS, database_unavailable

        if isinstance(exception, DATABASE_ERRORS):
            logger.error("The database does not answer: %s", exception)
            return database_unavailable(request)
        return None


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is over the import limit (IMPORT_MAX_BYTES) and the rest of the
    form (REQUEST_SIZE_MARGIN), before anything reads the body; the proxy's client_max_body_size
    (docs/deployment.md) should refuse such a request even earlier."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.IMPORT_MAX_BYTES + REQUEST_SIZE_MARGIN:
            from .views import request_too_large

            return request_too_large(request)
        return self.get_response(request)


REQUEST_SIZE_MARGIN = 1024 * 1024  # the other fields and the multipart framing around the file


class WriteRefusedMiddleware:
    """409 with the rule's message when a view lets through a write that a closed year or a lock refuses
    (`kontum_cp.closing.WriteRefused`, raised by the models' pre_save / pre_delete): the edit pages put the
    message on their form; a button that writes without a form (remove an attendance) gets this page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .closing import WriteRefused

        if isinstance(exception, WriteRefused):
            return render(request, "409.html", {"refusal": exception.messages[0]}, status=409)
        return None
