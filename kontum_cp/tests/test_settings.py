"""Settings come from the environment; each case starts a fresh Python process."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'DEBUG': settings.DEBUG, 'SECRET_KEY': settings.SECRET_KEY, "
    "'ALLOWED_HOSTS': settings.ALLOWED_HOSTS, 'ENGINE': db['ENGINE'], 'NAME': str(db['NAME']), "
    "'HOST': db.get('HOST', ''), 'PORT': str(db.get('PORT', '')), 'USER': db.get('USER', ''), "
    "'TIME_ZONE': settings.TIME_ZONE, 'LANGUAGE_CODE': settings.LANGUAGE_CODE, "
    "'LANGUAGES': [code for code, _ in settings.LANGUAGES], "
    "'SECURE_SSL_REDIRECT': settings.SECURE_SSL_REDIRECT, 'SESSION_COOKIE_SECURE': settings.SESSION_COOKIE_SECURE}))"
)
# Variables the test run itself sets (pytest.ini, the browser tests) that would hide the defaults.
CLEARED = ["DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
           "CSRF_COOKIE_SECURE", "STATICFILES_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"]
LONG_KEY = "k" * 20 + "-production-like-secret-0123456789abcdefghij"


def run_settings(**variables):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env["DJANGO_SETTINGS_MODULE"] = "kontum_cp.settings"
    # An empty value is kept as it is (a local .env never fills it in).
    env.setdefault("SECRET_KEY", "")
    env.update(variables)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def settings_with(**variables):
    result = run_settings(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_settings(DEBUG="False", SECRET_KEY="")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_on_gets_a_development_key_and_local_hosts():
    values = settings_with(DEBUG="True", SECRET_KEY="")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"].startswith("dev-only-insecure-key")
    assert values["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert values["SECURE_SSL_REDIRECT"] is False


def test_production_values_come_from_the_environment():
    values = settings_with(DEBUG="False", SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="cp.example.vn,10.0.0.5")
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == LONG_KEY
    assert values["ALLOWED_HOSTS"] == ["cp.example.vn", "10.0.0.5"]
    assert values["SECURE_SSL_REDIRECT"] is True and values["SESSION_COOKIE_SECURE"] is True
    assert values["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert values["LANGUAGE_CODE"] == "vi" and values["LANGUAGES"] == ["vi", "en"]


def test_default_database_is_sqlite_in_the_project():
    values = settings_with(DEBUG="True")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"] == str(ROOT / "db.sqlite3")


def test_sqlite_url_is_read():
    values = settings_with(DEBUG="True", DATABASE_URL="sqlite:////tmp/elsewhere.sqlite3")
    assert values["ENGINE"] == "django.db.backends.sqlite3" and values["NAME"] == "/tmp/elsewhere.sqlite3"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_url_is_parsed_to_the_postgresql_engine(scheme):
    values = settings_with(DEBUG="True", DATABASE_URL=f"{scheme}://app:secret@db.example.vn:5433/kontum_cp")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["NAME"], values["HOST"], values["PORT"], values["USER"]) == (
        "kontum_cp", "db.example.vn", "5433", "app"
    )


@pytest.mark.parametrize("url", ["mysql://u:p@localhost/db", "oracle://u:p@localhost/db"])
def test_unsupported_database_url_is_refused(url):
    result = run_settings(DEBUG="True", DATABASE_URL=url)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL must start with sqlite:/// or postgres://" in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DEBUG="False", SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="cp.example.vn",
               DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}", DJANGO_SETTINGS_MODULE="kontum_cp.settings")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


CACHE_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'CACHE': settings.CACHES['default'], 'SESSION_ENGINE': settings.SESSION_ENGINE}))"
)


def cache_settings(**variables):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED + ["CACHE_URL"]}
    env.update(DJANGO_SETTINGS_MODULE="kontum_cp.settings", DEBUG="False", SECRET_KEY=LONG_KEY, **variables)
    result = subprocess.run([sys.executable, "-c", CACHE_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_cache_is_local_memory_by_default_and_sessions_are_in_the_database():
    values = cache_settings()
    assert values["CACHE"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["CACHE"]["OPTIONS"] == {"MAX_ENTRIES": 5000}
    # Database sessions: shared by every app server through PostgreSQL (docs/deployment.md).
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_a_redis_cache_url_gives_djangos_redis_backend_without_local_memory_options():
    values = cache_settings(CACHE_URL="redis://127.0.0.1:6390/1")
    assert values["CACHE"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHE"]["LOCATION"] == "redis://127.0.0.1:6390/1"
    # Django's Redis backend hands OPTIONS to the connection pool, which would refuse MAX_ENTRIES.
    assert "MAX_ENTRIES" not in values["CACHE"].get("OPTIONS", {})
