"""Writes: run an import as one transaction and keep a record of it."""
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from establishments import areas
from establishments.models import Establishment
from indicators import warmup
from kontum_cp.roles import is_administrator

from . import parsing
from .faultpoints import pause_at
from .importers import CREATED, UNCHANGED, UPDATED, Issue, build_plan, fetch_in
from .kinds import KINDS
from .models import ImportRecord

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass
class ImportResult:
    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    counts: dict = field(default_factory=lambda: {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
    details: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    columns: list = field(default_factory=list)  # [(letter, header in the file, column key or "")]
    large_changes: list = field(default_factory=list)  # [consumption.LargeChange]: to confirm, not errors
    held: bool = False  # not written: large changes that the user has not confirmed
    written: bool = False
    record: ImportRecord | None = None
    seconds: float = 0.0

    @property
    def ok(self):
        return not self.errors

    @property
    def all_unchanged(self):
        return self.ok and self.rows > 0 and self.counts[UNCHANGED] == self.rows


def size_problem(size):
    """A message when a file of `size` bytes is over the limit, else None."""
    limit = max_bytes()
    if size > limit:
        return _("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
            "size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.1f}".removesuffix(".0")}
    return None


def admin_only_problem(kind, user):
    """A message when `user` may not import `kind` (an administrators' kind), else None; no user: a command."""
    if kind.admin_only and user is not None and not is_administrator(user):
        return _("Only administrators may import %(kind)s.") % {"kind": kind.label}
    return None


def read_upload(file_name, data, *, size=None):
    """(table, None) or (None, the message saying why the file cannot be imported) for a file's bytes
    or binary file object; read once, at upload, and kept for the preview and the confirmation."""
    if size is None:
        size = len(data) if isinstance(data, (bytes, bytearray)) else None
    problem = size_problem(size) if size is not None else None
    if problem is not None:
        return None, problem
    try:
        return parsing.read_table(file_name, data), None
    except parsing.FileProblem as exc:
        return None, str(exc)


def import_file(*, kind, file_name, data=None, table=None, problem=None, user=None, dry_run=False,
                source=ImportRecord.Source.WEB, record=True, progress=None, size=None, hold_large_changes=False):
    """Check every row of `data` (a file's bytes) or of the `table` already read from it and, when none
    has an error and this is not a dry run, write them all in one transaction. Nothing is written when
    any row has an error; `problem` is why the file could not be read (see read_upload).

    The record of an import that writes (`record`) is written in the same transaction as its rows: an
    import stopped at any point (killed, the database gone) leaves neither, a finished one both. The
    record of an import that writes nothing (refused, a dry run) is written on its own.

    With `hold_large_changes` (a browser confirmation without the tick), a file with a
    large change of specific consumption is checked but neither written nor recorded,
    as the annual report form does not save such a report unconfirmed.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    started = time.monotonic()
    result = ImportResult(kind=kind, file_name=file_name, dry_run=dry_run)
    if table is None and problem is None:
        table, problem = read_upload(file_name, data if data is not None else b"", size=size)
    if problem is None:
        problem = admin_only_problem(KINDS[kind], user)
    if problem is not None:
        result.errors = [Issue(0, "", "", problem)]
    else:
        write_record = (lambda: _record(result, user=user, source=source, started=started)) if record else None
        _check_and_write(result, table, user=user, dry_run=dry_run, progress=progress,
                         hold_large_changes=hold_large_changes, write_record=write_record)
        if result.written:
            pause_at("committed")
    result.seconds = time.monotonic() - started
    if record and not result.held and not result.written:
        result.record = _record(result, user=user, source=source, started=started)
    return result


def _check_and_write(result, table, *, user, dry_run, progress, hold_large_changes, write_record):
    try:
        with transaction.atomic():
            plan = build_plan(KINDS[result.kind], table, progress)
            refuse_outside_area(plan, user)
            result.rows, result.counts, result.details = plan.rows_read, plan.counts, plan.details
            result.errors, result.warnings, result.columns = plan.errors, plan.warnings, plan.columns
            result.large_changes = plan.large_changes
            result.held = plan.ok and not dry_run and hold_large_changes and bool(plan.large_changes)
            if plan.ok and not dry_run and not result.held:
                if progress:
                    progress("write", 0, 1)
                plan.apply(user=user, reason=_("Import of %(file)s") % {"file": result.file_name})
                result.written = True
                if write_record is not None:  # in the rows' transaction: both are kept or neither
                    result.record = write_record()
                    pause_at("record")
                # Bulk writes send no save signals: recompute the dashboard once the import commits.
                transaction.on_commit(warmup.schedule)
                if progress:
                    progress("write", 1, 1)
                pause_at("commit")
    except IntegrityError:
        # Somebody saved a record with the same key between the check and the write.
        result.written = False
        result.record = None  # rolled back with the rows
        result.errors = [Issue(0, "", "", _("The data changed while the file was being imported; nothing was "
                                             "written. Please import the file again."))]


def _establishment_of(obj):
    """The establishment a planned record belongs to (itself, its report's, its person's), or None."""
    for step in ("report", "person"):
        if hasattr(obj, f"{step}_id") and getattr(obj, step, None) is not None:
            obj = getattr(obj, step)
    if isinstance(obj, Establishment):
        return obj
    return getattr(obj, "establishment", None) if hasattr(obj, "establishment_id") else None


def refuse_outside_area(plan, user):
    """A user with an area (`establishments.areas`) imports only rows of establishments inside it: an error
    naming each establishment outside it (as saved, and as the file would place it), so nothing is written."""
    if user is None or areas.user_area(user) is None:
        return
    planned = [obj for objs in plan.creates.values() for obj in objs]
    planned += [obj for objs in plan.updates.values() for obj in objs.values()]
    establishments = {}
    for obj in planned:
        est = _establishment_of(obj)
        if est is not None:
            establishments.setdefault(est.pk or est.code, est)
    saved_ids = {pk for pk in establishments if isinstance(pk, int)}
    saved_ids.update(*(writer.establishment_ids() for writer in plan.set_based))
    saved = fetch_in(Establishment.objects.values("pk", "code", "name", "place_id"), "pk", saved_ids)
    refused = {e["code"]: e for e in areas.outside_area(user, saved)}
    for est in areas.outside_area(user, establishments.values()):
        refused.setdefault(est.code, est)
    for code in sorted(refused):
        plan.error(0, "", code, areas.outside_message(refused[code]))


def _record(result, *, user, source, started):
    result.seconds = time.monotonic() - started
    return ImportRecord.objects.create(
        user=user if (user is not None and user.is_authenticated) else None,
        source=source, kind=result.kind, file_name=result.file_name[:255], dry_run=result.dry_run,
        rows=result.rows, created=result.counts[CREATED], updated=result.counts[UPDATED],
        unchanged=result.counts[UNCHANGED], errors=len(result.errors),
        seconds=Decimal(f"{result.seconds:.2f}"),
    )
