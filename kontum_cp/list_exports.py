"""Downloads of the list pages: what a page lists, with its current filters, in the import's columns.

A list view asks `requested_format(request)` first; when the request carries
`?export=csv` or `?export=xlsx` it returns `list_export(...)` of the queryset
its own selector built from the same query string, so the file holds every
row the list shows on all its pages, never only the current page.

The file itself is written by the app that knows the import's columns (`dataio`),
which registers its writer here when it starts (`register_writer`), so that the
list pages of every app use it without importing an app above them.
"""
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

EXPORT_PARAM = "export"
FORMATS = ("csv", "xlsx")
_writer = None


def register_writer(writer):
    """`writer(kind, queryset, fmt, filename)` → the HTTP download; called by `dataio` at start-up."""
    global _writer
    _writer = writer


def requested_format(request):
    """"csv" or "xlsx" when the page is asked for a download, else None (an unknown format: 404)."""
    fmt = request.GET.get(EXPORT_PARAM, "").strip().lower()
    if not fmt:
        return None
    if fmt not in FORMATS:
        raise Http404(_("Unknown export format."))
    return fmt


def export_filename(name, fmt, today=None):
    """`establishments-2026-11-29.csv`: the list's name and today's date (local time)."""
    today = today or timezone.localdate()
    return get_valid_filename(f"{name}-{today:%Y-%m-%d}.{fmt}")


def list_export(*, kind, queryset, fmt, name=None):
    """The download of `queryset` in the columns of the import `kind` (English column names)."""
    if _writer is None:
        raise RuntimeError("No list export writer is registered (is the dataio app installed?).")
    return _writer(kind, queryset, fmt, export_filename(name or kind, fmt))
