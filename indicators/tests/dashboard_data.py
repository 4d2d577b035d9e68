"""Small builders for the dashboard tests: each call writes one readable row."""
import datetime
from decimal import Decimal

from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, ResourceType, Target
from training.models import Attendance, Event, Person, StaffHeadcount

_counter = {"n": 0}


def _next():
    _counter["n"] += 1
    return _counter["n"]


def plan(number="TEST/QĐ", start=2013, end=2020, **targets):
    """A plan with targets given as code=(low, high, deadline) or code=low (deadline = end)."""
    p = ActionPlan.objects.create(title="Test plan " + number, issuer="UBND", decision_number=number,
                                  start_year=start, end_year=end)
    for code, spec in targets.items():
        low, high, deadline = spec if isinstance(spec, tuple) else (spec, None, end)
        Target.objects.create(plan=p, indicator_code=code, low=Decimal(str(low)),
                              high=Decimal(str(high)) if high is not None else None, deadline_year=deadline)
    return p


def est(code=None, potential=True, established=None, closed=None, baseline=None, technical=None, **kw):
    code = code or f"E-{_next():04d}"
    status = Establishment.Status.CLOSED if closed else Establishment.Status.ACTIVE
    return Establishment.objects.create(
        code=code, name="Establishment " + code, cp_potential=potential, established_year=established,
        closed_year=closed, status=status, baseline_year=baseline, technical_staff=technical, **kw)


def measure(e, year, category="good_housekeeping", status="implemented", title=None):
    return CPMeasure.objects.create(establishment=e, title=title or f"Measure {_next()}", category=category,
                                    status=status, year=year)


def report(e, year, output, unit="t", **quantities):
    r = AnnualReport.objects.create(establishment=e, year=year, product="Product", product_unit=unit,
                                    output=Decimal(str(output)))
    for code, qty in quantities.items():
        ResourceLine.objects.create(report=r, resource_type=ResourceType.objects.get(code=code),
                                    quantity=Decimal(str(qty)))
    return r


def event(year, kind="workshop", month=6):
    n = _next()
    return Event.objects.create(code=f"EV-{n}", title=f"Event {n}", kind=kind,
                                start_date=datetime.date(year, month, 1))


def person(category, e=None, gender="unspecified"):
    return Person.objects.create(name=f"Person {_next()}", category=category, establishment=e, gender=gender)


def attend(p, ev, completed=True):
    return Attendance.objects.create(person=p, event=ev, completed=completed)


def headcount(year, category, count):
    return StaffHeadcount.objects.create(year=year, category=category, headcount=count)


def assist(e, year, kind="survey"):
    return AssistanceRecord.objects.create(establishment=e, year=year, kind=kind)


def reported(code, year, value, p=None, unit="%", document="Report 2018", start=None):
    return ReportedValue.objects.create(indicator_code=code, year=year, value=Decimal(str(value)), unit=unit,
                                        plan=p, source_document=document, period_start_year=start)
