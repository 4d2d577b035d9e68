"""Sign-in throttling (django-axes, kontum_cp/signin.py): five wrong passwords in a row for one user name
from one address pause that pair; other names and addresses are not affected; every failure and lock-out is
recorded and listed in the admin."""
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kontum_cp.roles import DATA_ENTRY
from tests import factories as f

pytestmark = pytest.mark.django_db

HOME, ELSEWHERE = "10.0.0.1", "10.0.0.2"


@pytest.fixture
def officer(db):
    return f.user("officer", DATA_ENTRY)  # password pw-officer-123


def sign_in(client, username, password, address=HOME, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def lock_out(client, username="officer", address=HOME, url=None):
    for attempt in range(1, 6):
        response = sign_in(client, username, f"wrong-{attempt}", address, url)
        assert not signed_in(client)
    return response


def test_five_wrong_passwords_then_the_right_one_is_refused_with_a_message(client, officer):
    for attempt in range(1, 5):
        response = sign_in(client, "officer", f"wrong-{attempt}")
        assert response.status_code == 200  # the form again, with its error
        assert "lockout-title" not in response.content.decode()
    response = sign_in(client, "officer", "wrong-5")
    assert response.status_code == 429
    assert "lockout.html" in [t.name for t in response.templates]

    response = sign_in(client, "officer", "pw-officer-123")
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert '<html lang="vi">' in html and 'class="page-login"' in html  # the portal's layout, in Vietnamese
    assert 'href="/accounts/login/"' in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = sign_in(client, "officer", "pw-officer-123").content.decode()
    assert '<html lang="en">' in html
    assert "A wrong password was entered 5 times in a row for this user name from this computer." in html
    assert "paused for 30 minutes" in html


def test_other_user_names_and_addresses_are_not_locked(client, officer):
    f.user("colleague", DATA_ENTRY)
    lock_out(client)
    assert sign_in(client, "colleague", "pw-colleague-123").status_code == 302
    assert signed_in(client)
    client.logout()
    assert sign_in(client, "officer", "pw-officer-123", address=ELSEWHERE).status_code == 302
    assert signed_in(client)


def test_failures_and_the_lockout_are_recorded_and_listed_for_administrators(client, officer, admin_user_role):
    lock_out(client)
    sign_in(client, "officer", "pw-officer-123")
    attempt = AccessAttempt.objects.get(username="officer", ip_address=HOME)
    assert attempt.failures_since_start >= 5
    failures = AccessFailureLog.objects.filter(username="officer", ip_address=HOME)
    assert failures.count() >= 5
    assert failures.filter(locked_out=True).exists()

    admin = Client()
    admin.force_login(admin_user_role)
    for url in ("/admin/axes/accessattempt/", "/admin/axes/accessfailurelog/"):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert "officer" in response.content.decode(), url
    assert "/admin/axes/" in admin.get("/admin/").content.decode()


def test_the_pause_ends_after_the_cool_off(client, officer):
    lock_out(client)
    assert sign_in(client, "officer", "pw-officer-123").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert sign_in(client, "officer", "pw-officer-123").status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_starts_the_count_again(client, officer):
    for attempt in range(4):
        sign_in(client, "officer", f"wrong-{attempt}")
    assert sign_in(client, "officer", "pw-officer-123").status_code == 302
    client.logout()
    for attempt in range(4):
        assert sign_in(client, "officer", f"wrong-again-{attempt}").status_code == 200
    assert sign_in(client, "officer", "pw-officer-123").status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, admin_user_role):
    lock_out(client, "administrator", url="/admin/login/")
    response = sign_in(client, "administrator", "pw-administrator-123", url="/admin/login/")
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_test_clients_login_still_works(client, officer):
    # Code that signs in without a request (the test client, a shell) is not throttled, and not refused.
    assert client.login(username="officer", password="pw-officer-123")
    assert not client.login(username="officer", password="wrong")


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; whatever the client wrote before it does not count.
    for attempt in range(5):
        client.post(reverse("login"), {"username": "officer", "password": "wrong"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}, 203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    response = client.post(reverse("login"), {"username": "officer", "password": "pw-officer-123"},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


PROBE = ("import json, django; from django.conf import settings; django.setup(); print(json.dumps(["
         "settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME.total_seconds(), settings.TRUSTED_PROXY_COUNT]))")


def test_the_limit_and_the_pause_come_from_the_environment():
    variables = {"SIGNIN_FAILURE_LIMIT": "3", "SIGNIN_LOCKOUT_MINUTES": "10", "TRUSTED_PROXY_COUNT": "1"}
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kontum_cp.settings", **variables}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [3, 600.0, 1]
