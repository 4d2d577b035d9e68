from django.conf import settings

from .roles import can_edit, is_administrator, role_label


def portal(request):
    """Role flags for the header and the edit controls."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_edit": False, "is_admin": False, "role_label": ""}
    return {
        "can_edit": can_edit(user),
        "is_admin": is_administrator(user),
        "role_label": role_label(user),
        "portal_debug": settings.DEBUG,
    }
