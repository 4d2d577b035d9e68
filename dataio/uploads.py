"""Keeping an uploaded file between the preview and the confirmation.

The file is saved under a random token in a private temporary folder; the
session remembers which tokens belong to the user, so nobody else can confirm
or read it. Files older than a day are removed on the next upload.
"""
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "dataio_uploads"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_AGE_S = 24 * 3600


def upload_dir():
    base = getattr(settings, "IMPORT_TEMP_DIR", None) or tempfile.gettempdir()
    path = Path(base) / "kontum_cp_imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _path(token):
    return upload_dir() / f"{token}.upload"


def _remove_old():
    cutoff = time.time() - MAX_AGE_S
    for old in upload_dir().glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def store(request, *, kind, file_name, chunks):
    _remove_old()
    token = secrets.token_urlsafe(24)
    with open(_path(token), "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"kind": kind, "file_name": file_name}
    request.session[SESSION_KEY] = uploads
    return token


def load(request, token):
    """(kind, file name, bytes) of the user's upload, or None when unknown or gone."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not TOKEN.match(token or "") or entry is None:
        return None
    try:
        data = _path(token).read_bytes()
    except OSError:
        return None
    return entry["kind"], entry["file_name"], data


def discard(request, token):
    uploads = request.session.get(SESSION_KEY, {})
    if uploads.pop(token, None) is not None:
        request.session[SESSION_KEY] = uploads
    if TOKEN.match(token or ""):
        _path(token).unlink(missing_ok=True)
