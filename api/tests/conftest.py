"""Fixtures of the API's tests: clients that send a personal token, the URL table's world."""
import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests import factories as f
from tests import url_table


@pytest.fixture
def world(db):
    """The rows that the URL table's pages point at (tests/url_table.py)."""
    return url_table.world()


def token_client(user):
    """A client that signs nothing in: it sends the user's personal token with every request."""
    token, _created = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def token_for():
    """token_for(role) → a client sending the token of a new user in that role (None: no role)."""
    def make(role, username=None):
        return token_client(f.user(username or f"api-{role or 'none'}-{f.next_number()}".replace(" ", "-"), role))
    return make
