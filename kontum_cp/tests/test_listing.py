"""Sorting shared by the list pages."""
import pytest

from kontum_cp.listing import ordering

SORTS = {"code": ("code",), "name": ("name", "code")}


@pytest.mark.parametrize("sort,expected", [
    ("name", ("name", "code")),
    ("-name", ("-name", "code")),  # the tie-break keeps its direction: pages stay stable
    (" code ", ("code",)),
    ("-code", ("-code",)),
    ("unknown", ("code", "pk")),
    ("--name", ("-name", "code")),
    ("", ("code", "pk")),
    (None, ("code", "pk")),
])
def test_ordering(sort, expected):
    assert ordering(sort, SORTS, ("code", "pk")) == expected
