"""ensure_admin: the first administrator, only when nobody can sign in yet."""
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kontum_cp.roles import ADMINISTRATOR, is_administrator

pytestmark = pytest.mark.django_db


def ensure_admin():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_creates_an_administrator_with_a_printed_password_when_no_user_exists(client):
    output = ensure_admin()
    assert "User name: admin" in output
    password = re.search(r"One-time password: (\S+)", output).group(1)
    assert len(password) >= 12
    user = get_user_model().objects.get()
    assert user.username == "admin" and user.is_superuser and is_administrator(user)
    assert user.groups.filter(name=ADMINISTRATOR).exists()
    assert client.login(username="admin", password=password)
    assert client.get("/admin/").status_code == 200


def test_running_it_again_creates_nobody():
    first = ensure_admin()
    second = ensure_admin()
    assert "One-time password" in first
    assert "One-time password" not in second and "Users already exist" in second
    assert get_user_model().objects.count() == 1


def test_no_administrator_when_any_user_exists(data_entry_user):
    output = ensure_admin()
    assert "Users already exist" in output
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["entry"]


def test_passwords_differ_between_databases():
    first = re.search(r"One-time password: (\S+)", ensure_admin()).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"One-time password: (\S+)", ensure_admin()).group(1)
    assert first != second
