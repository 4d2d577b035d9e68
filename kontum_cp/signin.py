"""Sign-in throttling with django-axes (settings: AXES_*, SIGNIN_*, TRUSTED_PROXY_COUNT).

Five wrong passwords in a row for one user name from one address lock that pair out for a cool-down;
the same name from another address, and other names from the same address, can still sign in.
"""
import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


class ThrottledSignInBackend(AxesStandaloneBackend):
    """django-axes' check, for sign-ins that come with a request.

    Every sign-in form (the portal's, the admin's) passes the request; a call without one comes from code
    (the test client's ``login()``, a shell), which has no address to throttle. Axes refuses such calls
    outright, which would break ``client.login``; here they go on to the next backend unthrottled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost of
    them saw (counted from the right of X-Forwarded-For, so that a client cannot choose it)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The lock-out page (settings.AXES_LOCKOUT_CALLABLE): in the portal's layout and the user's language."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    ctx = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "lockout.html", ctx, status=settings.AXES_HTTP_RESPONSE_CODE)
