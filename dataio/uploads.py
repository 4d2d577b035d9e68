"""Keeping an upload, read once, between the preview and the confirmation.

The file is read when it is uploaded (dataio.services.read_upload) and what was read, its table
or the reason it could not be read, is saved as JSON Lines (the headers, then a line per row) under
a random token in a private temporary folder; the preview and the confirmation load that instead of
reading the spreadsheet again, a line at a time with each repeated cell text kept once (as reading the
spreadsheet keeps it), and the file itself is not kept. The session remembers which tokens belong to
the user, so nobody else can confirm or read it. Uploads older than a day are removed on the next upload.
"""
import json
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

from .parsing import Table

SESSION_KEY = "dataio_uploads"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_AGE_S = 24 * 3600


def upload_dir():
    base = getattr(settings, "IMPORT_TEMP_DIR", None) or tempfile.gettempdir()
    path = Path(base) / "kontum_cp_imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(token):
    return upload_dir() / f"{token}.jsonl"


def _remove_old():
    cutoff = time.time() - MAX_AGE_S
    for old in [*upload_dir().glob("*.json*"), *upload_dir().glob("*.upload")]:
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def store(request, *, kind, file_name, table, problem=None):
    """Keep what was read of an upload (`table`, or the `problem` that stopped its reading); its token."""
    _remove_old()
    token = secrets.token_urlsafe(24)
    with open(_path(token), "w", encoding="utf-8") as fh:
        fh.write(_line({"problem": problem, "headers": table.headers if table else None}))
        if table:
            fh.writelines(map(_line, table.rows))
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"kind": kind, "file_name": file_name}
    request.session[SESSION_KEY] = uploads
    return token


def load(request, token):
    """(kind, file name, table or None, problem or None) of the user's upload, or None when unknown or gone."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not TOKEN.match(token or "") or entry is None:
        return None
    try:
        with open(_path(token), encoding="utf-8") as fh:
            head = json.loads(fh.readline())
            table = None if head["headers"] is None else Table(headers=head["headers"], rows=_rows(fh))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entry["kind"], entry["file_name"], table, head["problem"]


def _line(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _rows(lines):
    same = {}.setdefault  # a text that repeats (a code, a year, a product) is kept once
    return [(number, [same(cell, cell) for cell in cells]) for number, cells in map(json.loads, lines)]


def discard(request, token):
    uploads = request.session.get(SESSION_KEY, {})
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    if TOKEN.match(token or ""):
        _path(token).unlink(missing_ok=True)
