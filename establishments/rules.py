"""The programme's rules (shared DOMAIN.md, "How each indicator is computed"), each in one place.

Each rule is a plain function on plain values and, beside it, the queryset
filter (`Q`) that says the same for the database. The engine, the selectors,
the model methods, the metrics and the importer call these; nothing else
re-states them. `prefix` lets a filter follow a relation
(`counts_by_q(2018, prefix="measures__")` on establishments).

Tests at every boundary (equal years, open ends, zero, missing):
establishments/tests/test_rules.py, which checks each function and its filter
against the same rows.
"""
from django.db.models import F, Q
from django.utils.translation import gettext as _

from kontum_cp.periods import REVERSED, YearRange

IMPLEMENTED = "implemented"
END_OF_PIPE = "end_of_pipe"


def _q(prefix, **lookups):
    return Q(**{prefix + key: value for key, value in lookups.items()})


# --- Active in a year ------------------------------------------------------------------------------

def is_active(established_year, closed_year, year):
    """Established by `year` (an unknown established year counts as established) and not closed in or
    before it."""
    if established_year is not None and established_year > year:
        return False
    return closed_year is None or closed_year > year


def active_q(year, prefix=""):
    return ((_q(prefix, established_year__isnull=True) | _q(prefix, established_year__lte=year))
            & (_q(prefix, closed_year__isnull=True) | _q(prefix, closed_year__gt=year)))


# --- POT(Y): establishments with CP potential active in Y -------------------------------------------

def has_potential(cp_potential, established_year, closed_year, year):
    """In POT(`year`): judged to have CP potential and active in `year`."""
    return bool(cp_potential) and is_active(established_year, closed_year, year)


def potential_q(year, prefix=""):
    return _q(prefix, cp_potential=True) & active_q(year, prefix)


# --- Measures that count for adoption --------------------------------------------------------------

def counts_for_adoption(status, category):
    """Implemented and not end-of-pipe treatment; its year decides from when it counts (`counts_by`)."""
    return status == IMPLEMENTED and category != END_OF_PIPE


def counting_q(prefix=""):
    return _q(prefix, status=IMPLEMENTED) & ~_q(prefix, category=END_OF_PIPE)


def counts_by(status, category, period, year):
    """The measure makes its establishment an adopter as of `year`: it counts for adoption and it had
    certainly happened by then, its latest possible year ≤ `year` (`period` is its `YearRange`, see
    `measure_period`; an exact year is its own latest). A measure without a year, or without an upper
    bound, counts in no year."""
    return counts_for_adoption(status, category) and period.certainly_by(year)


def dated_by_q(year, prefix=""):
    """Measures whose latest possible year is ≤ `year`: the exact year, else the range's upper end."""
    return _q(prefix, year__lte=year) | (_q(prefix, year__isnull=True) & _q(prefix, year_latest__lte=year))


def counts_by_q(year, prefix=""):
    return counting_q(prefix) & dated_by_q(year, prefix)


def ever_counts_q(prefix=""):
    """Measures that count for adoption in some year: counting, with a known latest possible year."""
    return counting_q(prefix) & (_q(prefix, year__isnull=False) | _q(prefix, year_latest__isnull=False))


# --- Years known only roughly ----------------------------------------------------------------------

def measure_period(year, year_earliest, year_latest):
    """A measure's year as a `YearRange`: exact when `year` is filled, else its range (either end open)."""
    return YearRange.exactly(year) if year is not None else YearRange(year_earliest, year_latest)


def assistance_period(year, date_earliest, date_latest):
    """An assistance record's date as a `YearRange` of years: its year (that of its date) when known,
    else its range."""
    return YearRange.exactly(year) if year is not None else YearRange(date_earliest, date_latest)


def period_errors(exact, earliest, latest, both_message):
    """Messages for an exact year and a range that do not fit together (a model's `clean`)."""
    if exact is not None and (earliest is not None or latest is not None):
        return [both_message]
    if earliest is not None and latest is not None and earliest > latest:
        return [REVERSED]
    return []


def range_ordered_q(earliest, latest):
    """The database's twin of `period_errors` (order): the earliest year is not after the latest."""
    return (Q(**{f"{earliest}__isnull": True}) | Q(**{f"{latest}__isnull": True})
            | Q(**{f"{earliest}__lte": F(latest)}))


def exact_or_range_q(exact, earliest, latest):
    """The database's twin of `period_errors` (both): an exact year and a range are never both filled."""
    return Q(**{f"{exact}__isnull": True}) | Q(**{f"{earliest}__isnull": True, f"{latest}__isnull": True})


def dated_q(exact, earliest, latest):
    """At least the exact year or one end of the range is filled."""
    return (Q(**{f"{exact}__isnull": False}) | Q(**{f"{earliest}__isnull": False})
            | Q(**{f"{latest}__isnull": False}))


# --- Baseline year ---------------------------------------------------------------------------------

def baseline_year(own_baseline_year, counting_measure_periods):
    """The establishment's own baseline year if set, else the year before the earliest possible year of
    its measures that count for adoption (`YearRange`s of its implemented, not end-of-pipe measures).

    A measure counts for adoption only with a latest possible year (without one it counts in no year),
    and sets a baseline only with an earliest one: a measure dated only "by 2018" sets none. None when
    there is neither an own baseline nor such a measure.
    """
    if own_baseline_year is not None:
        return own_baseline_year
    years = [p.earliest for p in counting_measure_periods if p.latest is not None and p.earliest is not None]
    return min(years) - 1 if years else None


# --- Assistance in a window ------------------------------------------------------------------------

def assisted_within(period, first, last):
    """The record lies in the window first..last (years, both included) when its whole range does; an
    open end never does (DOMAIN.md, `establishments_assisted`)."""
    return period.within(first, last)


def assisted_within_q(first, last, prefix=""):
    """The database's twin of `assisted_within` on `AssistanceRecord` rows."""
    exact = _q(prefix, year__gte=first) & _q(prefix, year__lte=last)
    rough = (_q(prefix, year__isnull=True) & _q(prefix, date_earliest__gte=first)
             & _q(prefix, date_latest__lte=last))
    return exact | rough


# --- Why a record counts or not (the drill-downs and the establishment page say it) -----------------

def measure_reason(status, category, period, year):
    """(counts, reason) of a measure for adoption as of `year`: the reason is "" when it counts, else why
    not ("implemented, year unknown: not counted"), in the active language. Says what `counts_by` does."""
    if category == END_OF_PIPE:
        return False, _("end-of-pipe treatment: shown, not counted")
    if status != IMPLEMENTED:
        return False, _("not implemented yet: not counted")
    if period.latest is None:
        if period.earliest is None:
            return False, _("implemented, year unknown: not counted")
        return False, _("implemented from %(year)s, no latest year: not counted") % {"year": period.earliest}
    if not period.certainly_by(year):
        return False, _("implemented %(period)s: counted from %(year)s") % {"period": period, "year": period.latest}
    return True, ""


def assistance_reason(period, first, last):
    """(counts, reason) of an assistance record for the window first..last (years); says what
    `assisted_within` does."""
    if assisted_within(period, first, last):
        return True, ""
    if period.earliest is None or period.latest is None:
        return False, _("dated %(period)s: not known to lie within %(first)s–%(last)s, not counted") % {
            "period": period, "first": first, "last": last}
    return False, _("dated %(period)s: outside %(first)s–%(last)s, not counted") % {
        "period": period, "first": first, "last": last}


def establishment_reason(cp_potential, established_year, closed_year, year):
    """Why an establishment is not in POT(`year`) ("" when it is); says what `has_potential` does."""
    if not cp_potential:
        return _("no CP potential: not counted")
    if established_year is not None and established_year > year:
        return _("established in %(year)s: not counted") % {"year": established_year}
    if closed_year is not None and closed_year <= year:
        return _("closed in %(year)s") % {"year": closed_year}
    return ""


# --- Intensity and reduction -----------------------------------------------------------------------

def intensity(total, lines, output):
    """Use per unit of product: `total` (in the category's common unit) ÷ `output`.

    None when the report has no line of the category (`lines` = 0: not reported is not "nothing used")
    or no output above zero.
    """
    if not lines or output is None or output <= 0:
        return None
    return total / output


def reduction_percent(base_intensity, current_intensity):
    """(1 − current ÷ baseline) × 100; None unless both are known and the baseline is above zero."""
    if base_intensity is None or current_intensity is None or base_intensity <= 0:
        return None
    return (1 - current_intensity / base_intensity) * 100


def reduction_reason(base_year, compared_year, base_unit, current_unit, base_intensity, current_intensity):
    """Why R_c(e, Y) is not defined ("" when it is): says what `reduction_percent` and the engine's choice of
    reports do. `base_unit` is None when there is no report for the baseline year."""
    if base_year is None:
        return _("no baseline year: not counted")
    if compared_year is None:
        return _("no report after the baseline year %(year)s: not counted") % {"year": base_year}
    if base_unit is None:
        return _("no report for the baseline year %(year)s: not counted") % {"year": base_year}
    if base_unit != current_unit:
        return _("report unit differs from the baseline's: not counted")
    if base_intensity is None or current_intensity is None:
        return _("no output or no line of this kind in a report: not counted")
    if base_intensity <= 0:
        return _("baseline use is zero: not counted")
    return ""


# --- Closing year ----------------------------------------------------------------------------------

def closing_year_valid(established_year, closed_year):
    """Closed in or after the year it was established (either year unknown: nothing to check)."""
    return closed_year is None or established_year is None or closed_year >= established_year


def closing_year_valid_q(prefix=""):
    return (_q(prefix, closed_year__isnull=True) | _q(prefix, established_year__isnull=True)
            | _q(prefix, closed_year__gte=F(prefix + "established_year")))


# --- Registry coverage: a year whose registry is confirmed complete ------------------------------------

def registry_confirmed(complete):
    """A year's registry counts as complete only when an administrator confirmed it (no record: not)."""
    return complete is True


def registry_confirmed_q(prefix=""):
    """On `RegistryCoverage` rows: the years confirmed complete."""
    return _q(prefix, complete=True)
