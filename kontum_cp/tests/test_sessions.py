"""Sessions end after SESSION_IDLE_SECONDS without a request (8 hours by default), and at browser close
when SESSION_EXPIRE_AT_BROWSER_CLOSE is on (kontum_cp.middleware.SessionActivityMiddleware)."""
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kontum_cp.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db

EIGHT_HOURS = datetime.timedelta(hours=8)


def _idle(client, delta):
    """As if the session had last been used `delta` earlier (its expiry and its renewal time moved back)."""
    session = client.session
    session[LAST_SEEN] -= int(delta.total_seconds())
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=F("expire_date") - delta)


def test_a_session_idle_longer_than_the_limit_is_signed_out(manager_client):
    assert manager_client.get(reverse("home")).status_code == 200
    _idle(manager_client, EIGHT_HOURS + datetime.timedelta(minutes=1))
    response = manager_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_starts_the_idle_time_again(manager_client):
    for _ in range(3):  # 21 hours in all, never 8 without a request
        _idle(manager_client, datetime.timedelta(hours=7))
        assert manager_client.get(reverse("home")).status_code == 200
    expires = Session.objects.get().expire_date
    assert abs(expires - (timezone.now() + EIGHT_HOURS)) < datetime.timedelta(minutes=1)


def test_requests_within_a_minute_do_not_write_the_session(manager_client):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert manager_client.get(reverse("home")).status_code == 200
    assert not [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_the_cookie_lasts_the_idle_time_or_until_the_browser_closes(client, manager_user, settings):
    response = client.post(reverse("login"), {"username": "manager", "password": "pw-manager-123"})
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60
    client.logout()
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    response = client.post(reverse("login"), {"username": "manager", "password": "pw-manager-123"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["max-age"] and not cookie["expires"]


PROBE = ("import json, django; from django.conf import settings; django.setup(); print(json.dumps(["
         "settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE]))")


def _settings_with(**variables):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kontum_cp.settings", **variables}
    for name in ("SESSION_IDLE_SECONDS", "SESSION_EXPIRE_AT_BROWSER_CLOSE"):
        if name not in variables:
            env.pop(name, None)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_limits_come_from_the_environment():
    assert _settings_with() == [28800, False]
    assert _settings_with(SESSION_IDLE_SECONDS="900", SESSION_EXPIRE_AT_BROWSER_CLOSE="True") == [900, True]
