import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Users are created in almost every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
