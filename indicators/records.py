"""The records behind a figure, as database queries: which establishments or people a figure counts.

The engine computes figures from per-year totals (`indicators.figures`) and carries no lists of ids; the pages
that name records (drill-downs, the printed report, a publication) ask here, and read only what they show.
Each function gives a queryset built from the filters of `establishments.rules` (the same rules the SQL of
`indicators.figures` states), limited to the plan's territory; `numerator_ids` / `denominator_ids` give the
ids as the engine's reference implementation lists them (tests compare both).
"""
from django.db.models import Exists, OuterRef, Q

from establishments import rules
from establishments.models import AssistanceRecord, CPMeasure, Establishment
from establishments.places import establishments_within
from training.models import Attendance, EventKind, Person, StaffCategory


def in_territory(plan):
    """The plan's establishments: those whose place lies in its territory (all for a plan without one)."""
    return Establishment.objects.filter(establishments_within(plan.territory_id))


def potential(plan, year):
    """POT(Y) of the plan's territory."""
    return in_territory(plan).filter(rules.potential_q(year))


def adopters(plan, year):
    """A(Y): members of POT(Y) with a measure that counts by Y."""
    counting = CPMeasure.objects.filter(rules.counts_by_q(year), establishment=OuterRef("pk"))
    return potential(plan, year).filter(Exists(counting))


def _attended_by(year, **lookups):
    return Attendance.objects.filter(event__start_date__year__lte=year, **lookups)


def reached(plan, year):
    """Members of POT(Y) with a person of theirs at any event started by Y."""
    return potential(plan, year).filter(Exists(_attended_by(year, person__establishment=OuterRef("pk"))))


def people(plan, year, category, trained_only):
    """People of a staff category who attended an event (or completed a training course) started by Y; of the
    plan's territory or of no establishment (the Department's and districts' staff)."""
    lookups = {"completed": True, "event__kind": EventKind.TRAINING_COURSE} if trained_only else {}
    found = Person.objects.filter(Exists(_attended_by(year, person=OuterRef("pk"), **lookups)), category=category)
    if plan.territory_id is not None:
        found = found.filter(Q(establishment__isnull=True) | Q(establishment__in=in_territory(plan).values("pk")))
    return found


def technical_staff(plan, year):
    """Technical staff of establishments in POT(Y) who completed a training course started by Y."""
    return people(plan, year, StaffCategory.TECHNICAL_STAFF, True).filter(
        establishment__in=potential(plan, year).values("pk"))


def assisted(plan, year):
    """Establishments with an assistance record lying within the plan's start year .. Y."""
    records = AssistanceRecord.objects.filter(rules.assisted_within_q(plan.start_year, year),
                                              establishment=OuterRef("pk"))
    return in_territory(plan).filter(Exists(records))


def _ids(queryset):
    return tuple(queryset.order_by("pk").values_list("pk", flat=True))


# code -> (numerator query, denominator query): (plan, year) -> queryset, or None for none.
QUERIES = {
    "cp_adoption": (adopters, potential),
    "energy_intensity_reduction": (None, adopters),
    "material_intensity_reduction": (None, adopters),
    "establishments_disseminated": (reached, potential),
    "gov_staff_disseminated": (lambda p, y: people(p, y, StaffCategory.GOV_STAFF, False), None),
    "cp_staff_trained": (lambda p, y: people(p, y, StaffCategory.CP_STAFF, True), None),
    "technical_staff_trained": (technical_staff, potential),
    "establishments_assisted": (assisted, None),
}


def numerator(plan, year, code):
    """The query of the records `code` counts as of `year` (None when it has none here)."""
    query = QUERIES.get(code, (None, None))[0]
    return query(plan, year) if query else None


def ids(plan, year, code):
    """(numerator ids, denominator ids) of `code` as of `year`, each sorted; () where the query has none."""
    num, den = QUERIES.get(code, (None, None))
    return (_ids(num(plan, year)) if num else (), _ids(den(plan, year)) if den else ())
