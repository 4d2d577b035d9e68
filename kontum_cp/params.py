"""Numbers typed into query strings and hidden fields: garbage gives None, never an error.

A year outside the portal's range or an id beyond a 64-bit integer is
treated as absent; passed on to the database it would crash the query
(SQLite cannot bind it, Python's date cannot hold it).
"""
from .models import MAX_YEAR, MIN_YEAR

MAX_ID = 2**63 - 1


def int_or_none(value, *, low=None, high=None):
    """`value` as an int within [low, high], else None."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def year_or_none(value):
    """A year the portal can store (1990–2100), else None."""
    return int_or_none(value, low=MIN_YEAR, high=MAX_YEAR)


def id_or_none(value):
    """A primary key the database can hold, else None."""
    return int_or_none(value, low=1, high=MAX_ID)
