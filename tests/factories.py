"""The suite's one set of test data builders: one plain function per model, each writing one row.

Every argument has a readable default, so a test names only what it checks:
``establishment(cp_potential=False)``, ``measure(est, 2015, status="planned")``,
``report(est, 2017, 1000, {"water": 20000})``. Any other model field can be given by keyword.
Scenario vocabularies (``indicators/tests/dashboard_data.py``) and shared fixtures (the root
``conftest.py``, ``tests/url_table.py``) are built from these functions, never from ``objects.create``.
"""
import datetime
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from establishments.models import AssistanceRecord, CPMeasure, Establishment, Place, RegistryCoverage, Sector
from indicators.models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, ResourceType, Target
from training.models import Attendance, Event, Person, StaffHeadcount

_sequence = count(1)


def next_number():
    """A number no other row built in this test run has used (for unique codes and names)."""
    return next(_sequence)


def _decimal(value):
    return None if value is None else Decimal(str(value))


def user(username, role=None, password=None):
    """A user in one role group (kontum_cp.roles); the password is ``pw-<username>-123`` unless given."""
    account = get_user_model().objects.create_user(username=username, password=password or f"pw-{username}-123")
    if role:
        account.groups.add(Group.objects.get(name=role))
    return account


# --- establishments ------------------------------------------------------------------------

def establishment(**fields):
    """An active establishment with CP potential, in the first place and sector of the reference data."""
    n = next_number()
    defaults = {
        "code": f"T-{n:04d}", "name": f"Test establishment {n}", "cp_potential": True,
        "place": Place.objects.order_by("code").first(), "sector": Sector.objects.order_by("code").first(),
    }
    return Establishment.objects.create(**{**defaults, **fields})


def measure(est, year=2016, *, title=None, **fields):
    """An implemented good-housekeeping measure (``year=None``: a measure without a year)."""
    defaults = {"category": "good_housekeeping", "status": "implemented"}
    return CPMeasure.objects.create(establishment=est, year=year, title=title or f"Measure {next_number()}",
                                    **{**defaults, **fields})


def assistance(est, year=2017, **fields):
    defaults = {"kind": "survey", "description": "Survey of the plant"}
    return AssistanceRecord.objects.create(establishment=est, year=year, **{**defaults, **fields})


# --- indicators ----------------------------------------------------------------------------

def resource_type(code):
    """A resource type of the reference data (loaded by a migration)."""
    return ResourceType.objects.get(code=code)



def report(est, year, output, lines=None, *, product="Tapioca starch", unit="t", **quantities):
    """An annual report with one resource line per resource type code, given as a dict
    (``{"water": 20000}``) or as keywords (``water=20000``)."""
    r = AnnualReport.objects.create(establishment=est, year=year, product=product, product_unit=unit,
                                    output=_decimal(output))
    for code, quantity in {**(lines or {}), **quantities}.items():
        ResourceLine.objects.create(report=r, resource_type=resource_type(code), quantity=_decimal(quantity))
    return r


def plan(decision_number="835/QĐ-UBND", start_year=2013, end_year=2020, **fields):
    defaults = {"title": "Plan", "issuer": "UBND"}
    return ActionPlan.objects.create(decision_number=decision_number, start_year=start_year, end_year=end_year,
                                     **{**defaults, **fields})


def target(for_plan, indicator_code, low, high=None, deadline_year=None):
    """A target of ``for_plan``; the deadline is the plan's last year unless given."""
    return Target.objects.create(plan=for_plan, indicator_code=indicator_code, low=_decimal(low),
                                 high=_decimal(high), deadline_year=deadline_year or for_plan.end_year)


def publication(for_plan, year=2017, by=None):
    """The dashboard of ``for_plan`` as of ``year`` published now (``indicators.publications.publish``)."""
    from indicators.publications import publish

    return publish(for_plan, year, by)


def reported_value(indicator_code, year, value, *, unit="%", source_document="Report 2018", **fields):
    """A figure as an official report gave it."""
    return ReportedValue.objects.create(indicator_code=indicator_code, year=year, value=_decimal(value),
                                        unit=unit, source_document=source_document, **fields)


# --- training ------------------------------------------------------------------------------

def event(**fields):
    """A training course on 10 May 2018."""
    n = next_number()
    defaults = {"code": f"EV-{n:03d}", "title": f"Tập huấn SXSH {n}", "kind": "training_course",
                "start_date": datetime.date(2018, 5, 10)}
    return Event.objects.create(**{**defaults, **fields})


def person(**fields):
    """A woman on the Department's staff."""
    defaults = {"name": f"Người thử {next_number()}", "category": "gov_staff", "organisation": "Sở Công Thương",
                "gender": "female"}
    return Person.objects.create(**{**defaults, **fields})


def attendance(at_event, attendee=None, completed=True):
    """``attendee`` (a new person unless given) attended ``at_event``."""
    return Attendance.objects.create(event=at_event, person=attendee or person(), completed=completed)


def headcount(year, category="gov_staff", headcount=10):
    return StaffHeadcount.objects.create(year=year, category=category, headcount=headcount)


def registry_coverage(year, complete=True, note="", **fields):
    """Whether the registry of `year` is confirmed complete (by default: it is)."""
    return RegistryCoverage.objects.update_or_create(year=year, defaults={"complete": complete, "note": note,
                                                                         **fields})[0]


def trained_person(est, event_code=None):
    """A member of the technical staff of ``est`` who attended a new training course."""
    course = event(**({"code": event_code} if event_code else {}), start_date=datetime.date(2016, 5, 1))
    member = person(category="technical_staff", establishment=est, organisation="", gender="unspecified")
    attendance(course, member)
    return member
