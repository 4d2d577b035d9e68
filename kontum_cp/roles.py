"""The three roles of the portal and the permissions each one holds.

Groups are created by the migration ``portal.0001_roles``; their permissions
are (re)assigned after every ``migrate`` by :func:`sync_role_permissions`,
because permissions of models added later only exist after their migration.
"""
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

DATA_ENTRY = "Data entry"
MANAGER = "Manager"
ADMINISTRATOR = "Administrator"
ROLE_NAMES = (DATA_ENTRY, MANAGER, ADMINISTRATOR)
ROLE_LABELS = {
    DATA_ENTRY: _("Data entry"),
    MANAGER: _("Manager"),
    ADMINISTRATOR: _("Administrator"),
}

# Programme data that the Data entry role adds and changes.
PROGRAMME_APPS = ("establishments", "indicators", "training")
# Reference data that only administrators change (plans, targets, codes).
ADMIN_ONLY_MODELS = {
    ("indicators", "actionplan"),
    ("indicators", "target"),
    ("indicators", "resourcetype"),
    ("indicators", "reportedvalue"),
    ("establishments", "place"),
    ("establishments", "sector"),
    ("establishments", "supportgroup"),
    ("establishments", "registrycoverage"),
    ("establishments", "department"),
    ("establishments", "userarea"),
}
# Child rows that data entry may remove while editing their parent.
DATA_ENTRY_DELETABLE = {("indicators", "resourceline"), ("training", "attendance")}


def _user_groups(user):
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = set(user.groups.values_list("name", flat=True))
    return user._portal_groups


def is_administrator(user):
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR in _user_groups(user))


def has_role(user):
    """True for a signed-in user in one of the role groups, or a superuser (who counts as an administrator)."""
    return is_administrator(user) or (user.is_authenticated and bool(_user_groups(user) & set(ROLE_NAMES)))


def can_edit(user):
    """True for roles that add and change programme data."""
    return is_administrator(user) or (
        user.is_authenticated and DATA_ENTRY in _user_groups(user)
    )


def group_label(name):
    """A group's name as people read it: the role in the user's language; other groups as named."""
    return ROLE_LABELS.get(name, name)


def role_label(user):
    if not user.is_authenticated:
        return ""
    if is_administrator(user):
        return ROLE_LABELS[ADMINISTRATOR]
    groups = _user_groups(user)
    for name in (DATA_ENTRY, MANAGER):
        if name in groups:
            return ROLE_LABELS[name]
    return _("No role")


def _permissions_for(role):
    perms = Permission.objects.select_related("content_type")
    if role == ADMINISTRATOR:
        return list(perms.all())
    chosen = []
    for perm in perms.filter(content_type__app_label__in=PROGRAMME_APPS):
        key = (perm.content_type.app_label, perm.content_type.model)
        action = perm.codename.split("_", 1)[0]
        if role == MANAGER:
            ok = action == "view"
        else:
            ok = action == "view" or (
                key not in ADMIN_ONLY_MODELS
                and (action in ("add", "change") or key in DATA_ENTRY_DELETABLE)
            )
        # Historical (simple_history) models are read-only for everybody.
        if key[1].startswith("historical") and action != "view":
            ok = False
        if ok:
            chosen.append(perm)
    return chosen


def sync_role_permissions(sender=None, **kwargs):
    """Give each role group exactly its permissions (idempotent)."""
    for role in ROLE_NAMES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(role))
