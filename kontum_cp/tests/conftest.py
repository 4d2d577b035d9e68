"""Fixtures for the project-wide tests: one small world with a row of every kind."""
import pytest

from tests import url_table


@pytest.fixture
def world(db):
    """The rows that the URL table's pages point at (tests/url_table.py)."""
    return url_table.world()
