"""Keeping an upload, read once, between the preview and the confirmation.

The file is read when it is uploaded (dataio.services.read_upload) and what was read, its table
or the reason it could not be read, is saved as JSON under a random token in a private temporary
folder; the preview and the confirmation load that instead of reading the spreadsheet again, and
the file itself is not kept. The session remembers which tokens belong to the user, so nobody else
can confirm or read it. Uploads older than a day are removed on the next upload.
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
    return upload_dir() / f"{token}.json"


def _remove_old():
    cutoff = time.time() - MAX_AGE_S
    for old in [*upload_dir().glob("*.json"), *upload_dir().glob("*.upload")]:
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def store(request, *, kind, file_name, table, problem=None):
    """Keep what was read of an upload (`table`, or the `problem` that stopped its reading); its token."""
    _remove_old()
    token = secrets.token_urlsafe(24)
    parsed = {"problem": problem,
              "headers": table.headers if table else None, "rows": table.rows if table else None}
    with open(_path(token), "w", encoding="utf-8") as fh:
        json.dump(parsed, fh, ensure_ascii=False, separators=(",", ":"))
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
            parsed = json.load(fh)
    except (OSError, ValueError):
        return None
    table = None
    if parsed["headers"] is not None:
        table = Table(headers=parsed["headers"], rows=[(number, cells) for number, cells in parsed["rows"]])
    return entry["kind"], entry["file_name"], table, parsed["problem"]


def discard(request, token):
    uploads = request.session.get(SESSION_KEY, {})
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    if TOKEN.match(token or ""):
        _path(token).unlink(missing_ok=True)
