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


def counts_by(status, category, measure_year, year):
    """The measure makes its establishment an adopter as of `year`: it counts for adoption and its year
    is known and ≤ `year`. A measure without a year counts in no year."""
    return counts_for_adoption(status, category) and measure_year is not None and measure_year <= year


def counts_by_q(year, prefix=""):
    return counting_q(prefix) & _q(prefix, year__isnull=False) & _q(prefix, year__lte=year)


# --- Baseline year ---------------------------------------------------------------------------------

def baseline_year(own_baseline_year, counting_measure_years):
    """The establishment's own baseline year if set, else the year before the earliest year of its
    measures that count for adoption (unknown years are skipped); None when there is neither."""
    if own_baseline_year is not None:
        return own_baseline_year
    years = [y for y in counting_measure_years if y is not None]
    return min(years) - 1 if years else None


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
