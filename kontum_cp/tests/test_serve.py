"""`make serve`: gunicorn's settings (gunicorn.conf.py) come from the environment, with bounded workers, and the
server refuses to start with DEBUG on. (Two real servers: test_several_servers.py.)"""
import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CONFIG = ROOT / "gunicorn.conf.py"


def config_with(monkeypatch, **variables):
    for name in ("GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_defaults_bound_the_workers_and_suit_the_import_limits(monkeypatch):
    config = config_with(monkeypatch)
    assert config["bind"] == "127.0.0.1:8000" and config["workers"] == 3 and config["worker_class"] == "sync"
    # An import at its row limit takes about 100 s on PostgreSQL on 2 cores (docs/deployment.md).
    assert config["timeout"] == 180
    assert (config["max_requests"], config["max_requests_jitter"]) == (1000, 100)
    assert config["control_socket_disable"] is True


def test_the_environment_sets_them(monkeypatch):
    config = config_with(monkeypatch, GUNICORN_BIND="10.0.0.11:8001", WEB_CONCURRENCY="5", GUNICORN_TIMEOUT="240",
                         GUNICORN_MAX_REQUESTS="500")
    assert (config["bind"], config["workers"], config["timeout"]) == ("10.0.0.11:8001", 5, 240)
    assert (config["max_requests"], config["max_requests_jitter"]) == (500, 50)


def test_gunicorn_refuses_to_serve_with_debug_on(tmp_path):
    env = {**os.environ, "DEBUG": "True", "GUNICORN_BIND": "127.0.0.1:0", "WEB_CONCURRENCY": "1",
           "MPLCONFIGDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "kontum_cp.wsgi:application"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr + result.stdout
