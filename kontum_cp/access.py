"""Who may call which view (see kontum_cp.roles).

Anonymous users never get here: LoginRequiredMiddleware sends them to sign in.
"""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed

from .roles import can_edit, is_administrator


class RefusedWithReason(PermissionDenied):
    """A 403 whose message is for the user: the 403 page shows it instead of the roles' explanation (a
    data-entry user whose area leaves the record out, `establishments.areas`)."""


def _only_for(allowed):
    """A view decorator: 403 unless `allowed(user)`, whatever the method."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


#: Pages that change data (forms): only Data entry and Administrator, GET and POST.
edit_required = _only_for(can_edit)


def read_only(view):
    """Pages that only show data: GET/HEAD; a POST is refused (403 for a role that may not edit)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            if not can_edit(request.user):
                raise PermissionDenied
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request, *args, **kwargs)

    return wrapped


#: Pages for administrators only (closing a year): anybody else gets 403, whatever the method.
admin_required = _only_for(is_administrator)
