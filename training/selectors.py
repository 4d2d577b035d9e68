"""Reads for the training pages: querysets with their counts, never a query per row."""
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from establishments import areas
from establishments.models import Establishment
from kontum_cp import listing
from kontum_cp.listing import ordering, sorts

from .models import Attendance, Event, EventKind, Person, StaffHeadcount

EVENT_SORTS = sorts("code", code="code", title="title", kind="kind", start_date="start_date", attendees="n_attendees")
PERSON_SORTS = sorts("pk", name="name", organisation="organisation", category="category", events="n_events")


def _count_of(queryset, field):
    """A subquery: how many rows of `queryset` have `field` equal to the outer row (0 when none). Computed for
    the rows of a page only, where a GROUP BY over the joined table would count it all before paging."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def event_list(*, year=None, kind=None, search="", sort=""):
    """Events with their attendance counts (one query for the page)."""
    qs = Event.objects.annotate(
        n_attendees=_count_of(Attendance.objects.all(), "event"),
        n_completed=_count_of(Attendance.objects.filter(completed=True), "event"),
    )
    if year:
        qs = qs.filter(start_date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(title__icontains=search))
    return qs.order_by(*ordering(sort, EVENT_SORTS, ("-start_date", "code")))


def event_years():
    """The years that have events, newest first."""
    return [d.year for d in Event.objects.dates("start_date", "year", order="DESC")]


def event_attendances(*, event):
    return (
        Attendance.objects.filter(event=event)
        .select_related("person", "person__establishment")
        .order_by("person__name", "person__pk")
    )


def event_attendance_counts(*, event):
    """Rows of (category, gender, attendees, completed) for one event."""
    return list(
        Attendance.objects.filter(event=event)
        .values("person__category", "person__gender")
        .annotate(n=Count("pk"), n_completed=Count("pk", filter=Q(completed=True)))
        .order_by("person__category", "person__gender")
    )


def event_takes_attendance(event):
    """Media campaigns record the audience reached, not a list of attendees."""
    return event.kind != EventKind.MEDIA


def person_list(*, search="", sort=""):
    qs = Person.objects.select_related("establishment").annotate(n_events=_count_of(Attendance.objects.all(), "person"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(organisation__icontains=search))
    return qs.order_by(*ordering(sort, PERSON_SORTS, ("name", "pk")))


def person_page(people, params):
    """The page of the people list asked for by ?page=; sorted by events, read ids first, the ids from
    `ids_by_events`."""
    return listing.page_sorted(people, params, "events", ids_by_events, fallback=Paginator)


def ids_by_events(people, start, stop, *, descending):
    """The ids of rows `start` to `stop` of `people` in the order of `person_list(sort="events")` (or
    "-events"): by attendances (0 for none), then id. One query.

    Sorting by the list's per-row count subquery counts for every person (116,175 people: 0.4-1.2 s);
    here the attendances are counted in one pass, a merge of the people's and the attendances' person
    indexes (index-only scans).
    """
    # COUNT of the attendances' person column: read from their person index alone.
    counted = people.order_by().annotate(n=Count("attendances__person")).order_by("-n" if descending else "n", "pk")
    return list(counted.values_list("pk", flat=True)[start:stop])


def person_search(*, search, limit=20):
    """People whose name or organisation contains `search` (for attendance entry)."""
    search = (search or "").strip()
    if not search:
        return []
    return list(
        Person.objects.select_related("establishment")
        .filter(Q(name__icontains=search) | Q(organisation__icontains=search))
        .order_by("name", "pk")[:limit]
    )


def people_by_pk(pks):
    return {p.pk: p for p in Person.objects.select_related("establishment").filter(pk__in=pks)}


def person_attendances(*, person):
    return Attendance.objects.filter(person=person).select_related("event").order_by("-event__start_date", "event__code")


def establishment_people(establishment):
    """The people of an establishment with the events they attended, newest first (2 queries)."""
    return list(
        Person.objects.filter(establishment=establishment).order_by("name").prefetch_related(Prefetch(
            "attendances", queryset=Attendance.objects.select_related("event").order_by("-event__start_date"),
        ))
    )


SUGGESTED_MAX = 1000  # beyond this many, the establishment box suggests nothing (the page would weigh megabytes)


def establishment_choices(user=None):
    """(code, name) of the establishments that `user` may change (those of the user's area, else all), for the
    establishment box's suggestions; None when there are more than `SUGGESTED_MAX` (one query)."""
    area = areas.user_area(user) if user is not None else None
    qs = Establishment.objects.order_by("code")
    if area is not None:
        qs = qs.filter(place_id__in=area.place_ids)
    rows = list(qs.values_list("code", "name")[:SUGGESTED_MAX + 1])
    return rows if len(rows) <= SUGGESTED_MAX else None


def headcount_list():
    """Every staff headcount, newest year first (the headcounts page and its export)."""
    return StaffHeadcount.objects.order_by("-year", "category")


def headcount_rows():
    """All headcounts as {year: {category: headcount}}, newest year first."""
    table = {}
    for year, category, headcount in StaffHeadcount.objects.order_by("-year", "category").values_list(
        "year", "category", "headcount"
    ):
        table.setdefault(year, {})[category] = headcount
    return table


def headcounts_for_year(year):
    return {h.category: h for h in StaffHeadcount.objects.filter(year=year)}
