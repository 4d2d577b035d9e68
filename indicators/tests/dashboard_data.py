"""The dashboard tests' vocabulary for hand-made datasets: each call writes one readable row.

    p = plan("FIG/1", cp_adoption=15, energy_intensity_reduction=(5, 8, 2020))
    e1 = est("FIG-1", baseline=2012, technical=4)
    measure(e1, 2015); report(e1, 2014, 100, electricity=10000)
    attend(person("technical_staff", e1), event(2016, "training_course"))

The rows themselves come from the suite's one factory set, ``tests/factories.py``.
"""
import datetime
import re

from establishments.models import Establishment
from tests import factories

measure = factories.measure  # measure(e, year, category=..., status=..., title=...)
headcount = factories.headcount  # headcount(year, category, count)


def registry_complete(*years):
    """Confirm the registry complete for `years`: shares of POT(Y) are then judged against their targets."""
    for year in years:
        factories.registry_coverage(year)


def plan(number="TEST/QĐ", start=2013, end=2020, **targets):
    """A plan with targets given as code=(low, high, deadline) or code=low (deadline = end)."""
    p = factories.plan(number, start, end, title="Test plan " + number)
    for code, spec in targets.items():
        low, high, deadline = spec if isinstance(spec, tuple) else (spec, None, end)
        factories.target(p, code, low, high, deadline)
    return p


def est(code=None, potential=True, established=None, closed=None, baseline=None, technical=None, **kw):
    """An establishment in no place and no sector unless given; ``closed`` (a year) closes it."""
    code = code or f"E-{factories.next_number():04d}"
    status = Establishment.Status.CLOSED if closed else Establishment.Status.ACTIVE
    return factories.establishment(**{
        "code": code, "name": "Establishment " + code, "cp_potential": potential, "established_year": established,
        "closed_year": closed, "status": status, "baseline_year": baseline, "technical_staff": technical,
        "place": None, "sector": None, **kw})


def report(e, year, output, unit="t", **quantities):
    return factories.report(e, year, output, product="Product", unit=unit, **quantities)


def event(year, kind="workshop", month=6):
    n = factories.next_number()
    return factories.event(code=f"EV-{n}", title=f"Event {n}", kind=kind, start_date=datetime.date(year, month, 1))


def person(category, e=None, gender="unspecified"):
    return factories.person(name=f"Person {factories.next_number()}", category=category, establishment=e,
                            gender=gender, organisation="")


def attend(p, ev, completed=True):
    return factories.attendance(ev, p, completed=completed)


def assist(e, year, kind="survey"):
    return factories.assistance(e, year, kind=kind, description="")


def reported(code, year, value, place=None, unit="%", document="Report 2018", start=None):
    """A published figure about `place` (none: shown only under plans without a territory)."""
    return factories.reported_value(code, year, value, place=place, unit=unit, source_document=document,
                                    period_start_year=start)


# Tables the indicator engine reads: a request that reads none of them reused a cached dashboard.
ENGINE_TABLES = ("establishments_establishment", "establishments_cpmeasure", "indicators_annualreport",
                 "indicators_resourceline", "training_attendance")


def engine_reads(queries):
    """SQL of captured `queries` that read the engine's tables (the cache fingerprint, which reads their
    latest ids, left out), whether written by the ORM (quoted names) or by `indicators.figures` (plain names)."""
    reads = re.compile(r'\b(FROM|JOIN)\s+"?(' + "|".join(ENGINE_TABLES) + r')\b')
    return [q["sql"] for q in queries if reads.search(q["sql"]) and "MAX(history_id)" not in q["sql"]]


def small_plan():
    """A plan with 2 establishments with CP potential, one applying CP since 2016: adoption 1/2 = 50 % as of
    2016 to 2018 (the tests of the background recompute and of figures being computed). Returns (plan, the
    adopter)."""
    p = plan(cp_adoption=15)
    e1, e2 = est(), est()
    measure(e1, 2016)
    report(e2, 2018, 100, electricity=1000)
    return p, e1
