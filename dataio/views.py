"""Import (upload → preview → confirm), templates, exports and the record of imports."""
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from establishments import areas
from establishments.models import Establishment
from kontum_cp.access import edit_required, read_only
from kontum_cp.params import year_or_none

from . import exporters, uploads
from .forms import ConfirmImportForm, UploadForm
from .importers import CREATED, UNCHANGED, UPDATED
from .kinds import KINDS
from .selectors import import_record_list, recent_import_records
from .services import import_file, read_upload

FORMATS = ("csv", "xlsx")
MAX_ERRORS_SHOWN = 1000
MAX_LARGE_CHANGES_SHOWN = 500
NOTHING_TO_IMPORT = gettext_lazy("Nothing to import: every row is already in the portal as it is in the file.")
TICK_TO_CONFIRM = gettext_lazy("The file was not imported: tick the box to confirm that the figures are right, "
                               "or correct the file and upload it again.")


def _language():
    """The active language as the import templates name it: "vi" or "en"."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _index_context(user, form=None):
    return {
        "kinds": list(KINDS.values()),
        "form": form or UploadForm(user=user),
        "recent": recent_import_records(),
        "max_mb": UploadForm.max_mb(),
    }


@read_only
def index(request):
    return render(request, "dataio/index.html", _index_context(request.user))


@edit_required  # the portal's 403 page names the roles that may enter data
def upload(request):
    if request.method != "POST":
        return redirect("dataio:index")
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "dataio/index.html", _index_context(request.user, form), status=400)
    upload_file = form.cleaned_data["file"]
    # Read once, here; the preview and the confirmation use what was read (uploads.load).
    table, problem = read_upload(upload_file.name, upload_file.file, size=upload_file.size)
    token = uploads.store(request, kind=form.cleaned_data["kind"], file_name=upload_file.name,
                          table=table, problem=problem)
    return redirect("dataio:preview", token=token)


def _columns_read(result):
    """[(letter, header in the file, the column's name in the user's language or "")]."""
    kind, language = KINDS[result.kind], _language()
    return [(letter, header, kind.column(key).header(language) if key else "")
            for letter, header, key in result.columns]


def _preview(request, token, result, status=200, confirm_form=None):
    return render(request, "dataio/preview.html", {
        "token": token,
        "result": result,
        "kind": KINDS[result.kind],
        "created": result.counts[CREATED],
        "updated": result.counts[UPDATED],
        "unchanged": result.counts[UNCHANGED],
        "errors": result.errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(0, len(result.errors) - MAX_ERRORS_SHOWN),
        "large_changes": result.large_changes[:MAX_LARGE_CHANGES_SHOWN],
        "large_changes_hidden": max(0, len(result.large_changes) - MAX_LARGE_CHANGES_SHOWN),
        "columns": _columns_read(result),
        "confirm_form": confirm_form or ConfirmImportForm(),
    }, status=status)


def _load_or_leave(request, token):
    loaded = uploads.load(request, token)
    if loaded is None:
        messages.warning(request, _("This upload is no longer available; please upload the file again."))
    return loaded


def _with_dry_run(view):
    """A view of the upload `token` checked without writing: `view(request, token, result)`;
    the import page when the upload is gone."""

    @wraps(view)
    @edit_required  # the portal's 403 page names the roles that may enter data
    def wrapped(request, token):
        loaded = _load_or_leave(request, token)
        if loaded is None:
            return redirect("dataio:index")
        kind, file_name, table, problem = loaded
        result = import_file(kind=kind, file_name=file_name, table=table, problem=problem, user=request.user,
                             dry_run=True, record=False)
        return view(request, token, result)

    return wrapped


@_with_dry_run
def preview(request, token, result):
    """Check the uploaded file without writing anything and show what would happen."""
    return _preview(request, token, result)


@_with_dry_run
def preview_errors(request, token, result):
    """The error report of an upload as a CSV file (for files with many errors)."""
    import pandas as pd  # only here: a process that never shows an error report does not load pandas

    frame = pd.DataFrame(
        [[i.row or "", i.column, exporters.neutralise(i.value), exporters.neutralise(i.message)]
         for i in result.errors],
        columns=[_("Row"), _("Column"), _("Value"), _("Reason")], dtype=object,
    )
    response = HttpResponse(exporters.csv_bytes(frame), content_type=exporters.CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="import-errors.csv"'
    return response


@require_POST
@edit_required
def confirm(request, token):
    """Check the file's rows again (the data may have changed since the preview) and import them."""
    loaded = _load_or_leave(request, token)
    if loaded is None:
        return redirect("dataio:index")
    kind, file_name, table, problem = loaded
    form = ConfirmImportForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["confirm_large_changes"]
    result = import_file(kind=kind, file_name=file_name, table=table, problem=problem, user=request.user,
                         hold_large_changes=not confirmed)
    if not result.ok:
        return _preview(request, token, result, status=400)
    if result.held:
        form.add_error("confirm_large_changes", TICK_TO_CONFIRM)
        return _preview(request, token, result, status=400, confirm_form=form)
    uploads.discard(request, token)
    if result.all_unchanged:  # the preview offered nothing to confirm: nothing was written
        messages.info(request, NOTHING_TO_IMPORT)
        return redirect("dataio:index")
    messages.success(request, _("%(file)s imported: %(created)d rows created, %(updated)d updated, "
                                "%(unchanged)d unchanged.") % {
        "file": file_name, "created": result.counts[CREATED], "updated": result.counts[UPDATED],
        "unchanged": result.counts[UNCHANGED]})
    return redirect("dataio:history")


@require_POST
@edit_required
def cancel(request, token):
    uploads.discard(request, token)
    messages.info(request, _("The upload was cancelled; nothing was written."))
    return redirect("dataio:index")


@read_only
def history(request):
    page = Paginator(import_record_list(), 50).get_page(request.GET.get("page"))
    return render(request, "dataio/history.html", {"page": page, "records": page.object_list})


def _kind_or_404(kind, fmt):
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404(_("Unknown kind of data or format."))
    return KINDS[kind]


@read_only
def template_download(request, kind, fmt):
    _kind_or_404(kind, fmt)
    return exporters.template_response(kind, fmt, _language())


def _readable(user, model):
    """The records of `model` that `user` reads: those of the establishments of a user's area when the area
    limits reading (`establishments.areas.readable_q`), everything else as it is."""
    if model is Establishment:
        return areas.readable_q(user)
    if any(f.name == "establishment" for f in model._meta.get_fields()):
        return areas.readable_q(user, "establishment__")
    return Q()


@read_only
def export(request, kind, fmt):
    """Every record of a kind (or those matching the kind's export filters) as CSV or XLSX."""
    declaration = _kind_or_404(kind, fmt)
    queryset = declaration.model.objects.filter(_readable(request.user, declaration.model))
    for param, lookup in declaration.export_filters.items():
        value = request.GET.get(param, "").strip()
        if value:
            if lookup.endswith("year"):
                value = year_or_none(value)
                if value is None:
                    raise Http404(_("The year must be a number."))
            queryset = queryset.filter(**{lookup: value})
    headers = "vi" if request.GET.get("headers") == "vi" else "en"
    return exporters.export_response(kind, queryset, fmt, f"{kind}.{fmt}", headers=headers)
