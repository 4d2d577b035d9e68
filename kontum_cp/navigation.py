"""Main navigation, in the order of the work (see shared UI guide).

Each entry lists URL names to try in order; an entry whose pages do not
exist (yet) is left out, so apps add their pages without touching base.html.
"""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

NAV_ENTRIES = [
    (("indicators:dashboard", "home"), _("Overview"), False),
    (("establishments:list",), _("Establishments"), False),
    (("indicators:report_list",), _("Annual reports"), False),
    (("establishments:measure_list",), _("CP measures"), False),
    (("establishments:assistance_list",), _("Assistance"), False),
    (("training:event_list",), _("Training"), False),
    (("dataio:index",), _("Import/export"), False),
    (("admin:index",), _("Administration"), True),
]


def _first_url(names):
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def nav_items(path, is_admin):
    """[(url, label, is_current)] for the signed-in user at `path`."""
    items = []
    for names, label, admin_only in NAV_ENTRIES:
        if admin_only and not is_admin:
            continue
        url = _first_url(names)
        if url is None:
            continue
        items.append([url, label, False])
    # The current entry is the one with the longest URL that prefixes the path.
    best = None
    for item in items:
        url = item[0]
        if (url == "/" and path == "/") or (url != "/" and path.startswith(url)):
            if best is None or len(url) > len(best[0]):
                best = item
    if best is not None:
        best[2] = True
    return [tuple(item) for item in items]
