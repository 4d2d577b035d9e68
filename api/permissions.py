"""Who reads the API: the role rules of the pages (kontum_cp.roles). Anonymous → 401; a signed-in user
(token or session) without a role → 403; any role reads. Nobody writes: the views answer only GET, HEAD and
OPTIONS, so any other method gets 405 once the caller is let in."""
from rest_framework.permissions import BasePermission

from kontum_cp.roles import has_role


class HasRole(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and has_role(request.user))
