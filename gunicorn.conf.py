"""gunicorn's settings for `make serve` (production): `python -m gunicorn -c gunicorn.conf.py kontum_cp.wsgi`.

Each is read from the environment (or the project's .env), with a default that suits one small server (docs/deployment.md):

- GUNICORN_BIND: address and port (default 127.0.0.1:8000; nginx in front, docs/deployment.md).
- WEB_CONCURRENCY: worker processes (default 3). Each is one request at a time; a worker holds up to about
  300 MB while it reads the largest accepted import, so count memory as well as cores.
- GUNICORN_TIMEOUT: seconds a request may take before its worker is replaced (default 180). An import at
  its limits (IMPORT_MAX_BYTES, IMPORT_MAX_ROWS: 200,000 rows) is checked and written within the request,
  about 100 s on PostgreSQL for 200,000 report lines on a 2-core machine (docs/import-formats.md, "Speed").
- GUNICORN_MAX_REQUESTS: a worker is replaced after this many requests (default 1000, with up to 100 more at
  random, so the workers are not all replaced at once), which bounds any slow growth of its memory.

No control socket: gunicorn would otherwise create one under $HOME, which a service account may not have.
The Django settings are the production ones: DEBUG must be off (the server refuses to start otherwise).
"""
import os
from pathlib import Path

import environ

# The same .env as the Django settings (the environment wins), so that `make serve` reads WEB_CONCURRENCY & co.
# from it too.
environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "180"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max(max_requests // 10, 1) if max_requests else 0
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # "" for none
errorlog = "-"
# The proxy in front (nginx on the same host) is trusted for X-Forwarded-Proto and X-Forwarded-For.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def on_starting(server):
    """Refuse to serve with DEBUG on: `make serve` is for production (`make run` serves for development)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
    from django.conf import settings

    if settings.DEBUG:
        raise SystemExit("make serve: DEBUG is on. Set DEBUG=False (and SECRET_KEY, ALLOWED_HOSTS) for production; "
                         "`make run` serves for development.")
