"""Strings of the Django admin (and of the packages it shows) that their own catalogues lack in Vietnamese.

Nothing imports this module: it only lists the messages so that `makemessages` keeps them in the project's
catalogue (locale/vi), which Django reads before the packages' own (LOCALE_PATHS first). Remove a line when
Django's catalogue translates it.
"""
from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN = [
    # django.contrib.admin
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Skip to main content"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Error:"),
    gettext_noop("Set password"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    ngettext_lazy("entry", "entries"),
    # django.contrib.auth (the user forms)
    gettext_noop("Password-based authentication"),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If disabled, they may "
                 "still be able to authenticate using other backends, such as Single Sign-On or LDAP."),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Reset password"),
    # the app list
    gettext_noop("Messages"),
    gettext_noop("Sessions"),
    # django-simple-history (no Vietnamese catalogue)
    gettext_noop("History"),
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("You may edit it again below"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
]
# django-axes (the sign-in log): no Vietnamese catalogue of its own.
AXES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
]
# Django's Vietnamese for these reads wrongly ("Các mô models trong …").
ADMIN_CORRECTED = [
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("permission"),  # "cho phép" (allow); a permission is "quyền"
    gettext_noop("permissions"),
    gettext_noop("log entry"),  # "đăng nhập" (sign in)
    gettext_noop("log entries"),
    gettext_noop("Close"),  # the admin's and the history's close link; the portal's own "Close" has a context
]
# The admin's JavaScript (calendar, the two-box selector) reads locale/vi/LC_MESSAGES/djangojs.po, kept by
# hand: the project has no JavaScript message of its own, so `makemessages -d djangojs` is never run.
