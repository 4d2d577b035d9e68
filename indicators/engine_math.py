"""Pure arithmetic behind the progress dashboard (no ORM; the rules come from `establishments.rules`).

Rows come in as plain dicts (from narrow ``.values()`` querysets built in
``indicators.engine``); numbers go out as floats. Nothing here rounds: the
templates round percentages to one decimal for display only, and every
comparison with a target uses the unrounded value.
See docs/dashboard.md for the formulas (they follow shared DOMAIN.md).
"""
from statistics import median as _median

from establishments import rules

ACHIEVED = "achieved"
ON_TRACK = "on_track"
BEHIND = "behind"
NO_DATA = "no_data"
NOT_STARTED = "not_started"
NOT_ASSESSABLE = "not_assessable"
# Every status of an indicator with a target; one without a target has none (None).
STATUSES = (ACHIEVED, ON_TRACK, BEHIND, NO_DATA, NOT_ASSESSABLE, NOT_STARTED)


def is_active(est, year):
    """`rules.is_active` on an establishment row."""
    return rules.is_active(est["established_year"], est["closed_year"], year)


def potential(establishments, year):
    """POT(Y): establishments with CP potential active in `year`, as a list of rows."""
    return [e for e in establishments
            if rules.has_potential(e["cp_potential"], e["established_year"], e["closed_year"], year)]


def counts_for_adoption(measure):
    """The measure counts for adoption in some year (`rules.counts_for_adoption`, with a known latest
    possible year). A measure row carries its `period` (`rules.measure_period`)."""
    return rules.counts_for_adoption(measure["status"], measure["category"]) and measure["period"].latest is not None


def adopters(pot, measures_by_est, year):
    """A(Y): {establishment id: [ids of its measures that make it an adopter by `year`]}."""
    result = {}
    for e in pot:
        ids = [m["id"] for m in measures_by_est.get(e["id"], ())
               if rules.counts_by(m["status"], m["category"], m["period"], year)]
        if ids:
            result[e["id"]] = ids
    return result


def baseline_year(est, measures):
    """`rules.baseline_year` of an establishment row and its measure rows."""
    return rules.baseline_year(est["baseline_year"], [m["period"] for m in measures if counts_for_adoption(m)])


def intensity(report, category):
    """Use of `category` (in its common unit) per unit of output; None when undefined (`rules.intensity`).

    `report` = {"output": float, "categories": {category: (total in common unit, number of lines)}}.
    """
    total, lines = report["categories"].get(category, (0.0, 0))
    return rules.intensity(total, lines, report["output"])


def reduction(reports_by_year, base_year, year, category):
    """R_c(e, Y) in percent, with the comparison year t; (None, t) when undefined.

    t is the latest year with a report such that base_year < t <= year.
    """
    if base_year is None:
        return None, None, None, None
    later = [t for t in reports_by_year if base_year < t <= year]
    if not later:
        return None, None, None, None
    t = max(later)
    base = reports_by_year.get(base_year)
    current = reports_by_year[t]
    if base is None or base["product_unit"] != current["product_unit"]:
        return None, t, None, None
    base_i = intensity(base, category)
    cur_i = intensity(current, category)
    return rules.reduction_percent(base_i, cur_i), t, base_i, cur_i


def percentage(numerator, denominator):
    """numerator / denominator × 100, or None for a zero or missing denominator."""
    if not denominator:
        return None
    return numerator / denominator * 100


def mean(values):
    return sum(values) / len(values) if values else None


def median(values):
    return float(_median(values)) if values else None


def share_at_least(values, bound):
    """Percentage of `values` that are >= bound (None for no values or no bound)."""
    if not values or bound is None:
        return None
    return sum(1 for v in values if v >= bound) / len(values) * 100


def headcount_for(headcounts, category, year):
    """The headcount entered for `year`, else the latest earlier one; None if none.

    `headcounts` = [(year, category, headcount), ...].
    """
    best = None
    for y, cat, count in headcounts:
        if cat == category and y <= year and (best is None or y > best[0]):
            best = (y, count)
    return best[1] if best else None


def target_for(targets, year):
    """The target with the smallest deadline >= year, else the one with the latest deadline.

    `targets` is a list of objects/dicts with a `deadline_year`; None when empty.
    """
    if not targets:
        return None
    key = (lambda t: t["deadline_year"]) if isinstance(targets[0], dict) else (lambda t: t.deadline_year)
    upcoming = [t for t in targets if key(t) >= year]
    if upcoming:
        return min(upcoming, key=key)
    return max(targets, key=key)


def status(value, low, year, start_year, deadline, value_at_start):
    """achieved / on_track / behind / no_data / not_started against a low bound (DOMAIN.md rule).

    A year before the plan's start is *not started*, whatever the value: the plan did not run yet.
    on track: value >= v_S + (L − v_S) × (Y − S) ÷ (D − S); v_S is 0 when unknown.
    A deadline not after the start year leaves no path: only the bound counts.
    """
    if year < start_year:
        return NOT_STARTED
    if value is None:
        return NO_DATA
    if value >= low:
        return ACHIEVED
    v_s = value_at_start if value_at_start is not None else 0.0
    if deadline > start_year:
        required = v_s + (low - v_s) * (year - start_year) / (deadline - start_year)
        if value >= required:
            return ON_TRACK
    return BEHIND


def coverage_status(status, *, judged_on_registry, from_records, registry_confirmed):
    """The status once registry coverage is taken into account (DOMAIN.md, "Registry coverage").

    A percentage over POT(Y) computed from the records of a year whose registry is not confirmed complete
    cannot be judged against its target: *achieved*, *on track* and *behind* become *not assessable*.
    A reported value (`from_records` false) is judged normally; *not started* (a year before the plan's
    start), *no data* and no status (no target) stay as they are.
    """
    if (status in (ACHIEVED, ON_TRACK, BEHIND) and judged_on_registry and from_records
            and not registry_confirmed):
        return NOT_ASSESSABLE
    return status


def progress_toward(value, low):
    """How far along the way to the target: value ÷ low bound × 100 (None without both)."""
    if value is None or not low:
        return None
    return value / low * 100


def linear_projection(points, at_year):
    """Least-squares line through [(year, value), ...] evaluated at `at_year`.

    None with fewer than two distinct years.
    """
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    slope = sxy / sxx
    return my + slope * (at_year - mx)


HISTOGRAM_STEP = 2.5  # percentage points per bin of the reductions histogram


def histogram(first, second, step=HISTOGRAM_STEP):
    """Two lists of values counted in the same bins of `step` points: ((low, high, n first, n second), ...).

    The bins run from the bin holding the least value (or 0) to the one holding the largest (or 0); a value
    on a boundary belongs to the bin it starts. Empty bins inside the range are kept (they are part of the
    picture); none when there is no value.
    """
    values = list(first) + list(second)
    if not values:
        return ()
    start = step * (min(values + [0.0]) // step)
    count = int((max(values + [0.0]) - start) // step) + 1
    bins = [[start + step * i, start + step * (i + 1), 0, 0] for i in range(count)]
    for column, series in ((2, first), (3, second)):
        for v in series:
            bins[min(int((v - start) // step), count - 1)][column] += 1
    return tuple(tuple(b) for b in bins)
