"""Small test data builders (plain functions; the project has no factory library)."""
import datetime
from decimal import Decimal as D
from itertools import count

from establishments.models import AssistanceRecord, CPMeasure, Establishment, Place, Sector
from indicators.models import AnnualReport, ResourceLine, ResourceType
from training.models import Attendance, Event, Person

_seq = count(1)


def establishment(**kwargs):
    n = next(_seq)
    defaults = {
        "code": f"T-{n:04d}", "name": f"Test establishment {n}", "cp_potential": True,
        "place": Place.objects.order_by("code").first(), "sector": Sector.objects.order_by("code").first(),
    }
    defaults.update(kwargs)
    return Establishment.objects.create(**defaults)


def measure(est, **kwargs):
    defaults = {"title": f"Measure {next(_seq)}", "category": "good_housekeeping", "status": "implemented",
                "year": 2016}
    defaults.update(kwargs)
    return CPMeasure.objects.create(establishment=est, **defaults)


def assistance(est, **kwargs):
    defaults = {"year": 2017, "kind": "survey", "description": "Survey of the plant"}
    defaults.update(kwargs)
    return AssistanceRecord.objects.create(establishment=est, **defaults)


def rt(code):
    return ResourceType.objects.get(code=code)


def report(est, year, output, lines, product="Tapioca starch", unit="t"):
    """lines: {resource type code: quantity}."""
    r = AnnualReport.objects.create(establishment=est, year=year, product=product, product_unit=unit,
                                    output=D(str(output)))
    for code, quantity in lines.items():
        ResourceLine.objects.create(report=r, resource_type=rt(code), quantity=D(str(quantity)))
    return r


def trained_person(est, event_code=None):
    n = next(_seq)
    event = Event.objects.create(code=event_code or f"EV-{n}", title=f"Course {n}", kind="training_course",
                                 start_date=datetime.date(2016, 5, 1))
    person = Person.objects.create(name=f"Person {n}", category="technical_staff", establishment=est)
    Attendance.objects.create(event=event, person=person)
    return person
