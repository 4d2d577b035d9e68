"""Years known only roughly: reading and writing "2016–2018", "by 2018", "from 2016" (DOMAIN.md, *Dates known
only roughly*).

A source often dates a fact loosely ("in the last three years" in a report of 2018). Such a year is a range:
an earliest and a latest possible year, either of them open (unknown). An exact year is the range whose two
ends are equal; a year not known at all has both ends open.

    >>> read_years("2016–2018")
    YearRange(earliest=2016, latest=2018)
    >>> read_years("by 2018")            # also "≤ 2018", "<= 2018", "đến 2018", "đến năm 2018"
    YearRange(earliest=None, latest=2018)
    >>> read_years("2017")
    YearRange(earliest=2017, latest=2017)

The counting rules (a measure counts from its latest possible year; a baseline is set from the earliest; a
record lies in a window only when its whole range does) are `YearRange` methods, so the engine, the pages and
the importer read the same rule. Text that fits no form is refused with a message in the user's language.
"""
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MAX_YEAR, MIN_YEAR

NOT_A_PERIOD = gettext_lazy("Write a year (2018), a range (2016–2018), “by 2018” or “from 2016”.")
OUT_OF_RANGE = gettext_lazy("The year must be between 1990 and 2100.")
REVERSED = gettext_lazy("The earliest year is after the latest year.")

_YEAR = r"(\d{4})"
_DASHES = "-–—‒"
_RANGE = re.compile(rf"^{_YEAR}\s*(?:[{_DASHES}]|to|đến)\s*(?:năm\s*)?{_YEAR}$")
_BY = re.compile(rf"^(?:≤|<=|by|until|đến|tới)\s*(?:năm\s*)?{_YEAR}$")
_FROM = re.compile(rf"^(?:≥|>=|from|since|từ)\s*(?:năm\s*)?{_YEAR}$")
_EXACT = re.compile(rf"^(?:năm\s*)?{_YEAR}$")


class PeriodError(ValueError):
    """Text that is not a year or a range of years; `message` is for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class YearRange:
    """Earliest and latest possible year of a fact; None is an open end."""

    earliest: int | None = None
    latest: int | None = None

    def __post_init__(self):
        for year in (self.earliest, self.latest):
            if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
                raise PeriodError(OUT_OF_RANGE)
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise PeriodError(REVERSED)

    @classmethod
    def exactly(cls, year):
        return cls(year, year)

    @property
    def exact(self):
        """The year when it is known exactly, else None."""
        return self.earliest if self.earliest is not None and self.earliest == self.latest else None

    @property
    def unknown(self):
        return self.earliest is None and self.latest is None

    def certainly_by(self, year):
        """Whether the fact had certainly happened by the end of `year`: its latest possible year ≤ year.

        With no upper bound it is never certain (it counts in no year).
        """
        return self.latest is not None and self.latest <= year

    def within(self, first, last):
        """Whether the whole range lies in first..last (both included); an open end never does."""
        return (self.earliest is not None and self.latest is not None
                and first <= self.earliest and self.latest <= last)

    def __str__(self):
        return show_years(self)


def read_years(text):
    """`YearRange` for what a person typed; empty text is a year not known (both ends open)."""
    cleaned = " ".join(str(text or "").replace("\u00a0", " ").split()).lower()
    if not cleaned:
        return YearRange()
    for pattern, build in ((_EXACT, lambda m: YearRange.exactly(int(m[1]))),
                           (_RANGE, lambda m: YearRange(int(m[1]), int(m[2]))),
                           (_BY, lambda m: YearRange(None, int(m[1]))),
                           (_FROM, lambda m: YearRange(int(m[1]), None))):
        match = pattern.match(cleaned)
        if match:
            return build(match)
    raise PeriodError(NOT_A_PERIOD)


def show_years(period):
    """The range as the pages show it, in the active language: "2017", "2016–2018", "by 2018", "from 2016"."""
    if period.exact is not None:
        return str(period.exact)
    if period.earliest is not None and period.latest is not None:
        return f"{period.earliest}–{period.latest}"
    if period.latest is not None:
        return _("by %(year)s") % {"year": period.latest}
    if period.earliest is not None:
        return _("from %(year)s") % {"year": period.earliest}
    return ""
