"""The read-only API (docs/api.md). Each list is paginated and ordered; every view reads through the apps'
selectors where they have one, limits a manager with a reading area to the area's establishments and their
records (`establishments.areas.readable_q`, as the pages do) and never writes."""
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from establishments import areas
from establishments import selectors as establishment_selectors
from establishments.models import Establishment
from indicators import dashboard_cache
from indicators import selectors as indicator_selectors
from indicators.exports import progress_document
from indicators.models import ActionPlan, Publication, ResourceLine, Target
from training import selectors as training_selectors
from training.models import Attendance

from . import serializers
from .filters import by_place_and_sector, year_param

YEAR = OpenApiParameter("year", int, description="Only the records of this year.")
PLACE = OpenApiParameter("place", str, description="A place's statistical code: the records of the "
                         "establishments whose place lies inside it by lineage (parents and successions).")
SECTOR = OpenApiParameter("sector", str, description="A sector's code.")
PLAN = OpenApiParameter("plan", str, description="A plan's decision number (default: the provincial plan).")
FILTERS = [YEAR, PLACE, SECTOR]
RECORD_FILTERS = [YEAR, OpenApiParameter("establishment", str, description="An establishment's code."), PLACE,
                  SECTOR]


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and one record (GET, HEAD, OPTIONS): any other method answers 405."""


class ByCodeViewSet(ReadOnlyViewSet):
    """A list and one record found by its stable code (which may hold any character but "/")."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class ListViewSet(viewsets.GenericViewSet, viewsets.mixins.ListModelMixin):
    """A list only (GET, HEAD, OPTIONS): any other method answers 405."""


@extend_schema_view(list=extend_schema(summary="Action plans"))
class PlanViewSet(ListViewSet):
    serializer_class = serializers.PlanSerializer
    queryset = ActionPlan.objects.select_related("territory").order_by("start_year", "decision_number")


@extend_schema_view(list=extend_schema(summary="Targets of the plans", parameters=[PLAN]))
class TargetViewSet(ListViewSet):
    serializer_class = serializers.TargetSerializer

    def get_queryset(self):
        qs = Target.objects.select_related("plan").order_by("plan__decision_number", "deadline_year",
                                                            "indicator_code")
        if self.request.query_params.get("plan"):
            plan = indicator_selectors.plan_from_param(self.request.query_params["plan"])
            qs = qs.filter(plan=plan) if plan else qs.none()
        return qs


@extend_schema_view(list=extend_schema(summary="Published figures", parameters=[PLAN, YEAR]),
                   retrieve=extend_schema(summary="One publication"))
class PublicationViewSet(ReadOnlyViewSet):
    """The dashboards an administrator published, as they were stored (newest number last)."""

    serializer_class = serializers.PublicationSerializer

    def get_queryset(self):
        qs = Publication.objects.select_related("plan").order_by("plan__decision_number", "year", "number")
        params = self.request.query_params
        if params.get("plan"):
            plan = indicator_selectors.plan_from_param(params["plan"])
            qs = qs.filter(plan=plan) if plan else qs.none()
        year = year_param(params)
        return qs if year is None else qs.filter(year=year)


class ProgressView(APIView):
    """Progress against a plan's targets as of a year: the figures of the dashboard (its cache), the same
    document as `manage.py progress --format json`."""

    @extend_schema(summary="Progress of a plan as of a year", parameters=[
        PLAN, OpenApiParameter("year", int, description="As-of year (default: the latest year with data).")],
        responses=serializers.ProgressSerializer)
    def get(self, request):
        value = request.query_params.get("plan")
        plan = (indicator_selectors.plan_from_param(value) if value else indicator_selectors.default_plan())
        if plan is None:
            raise NotFound(_("No plan matches “%(plan)s”.") % {"plan": value} if value
                           else _("No action plan has been loaded yet."))
        # The dashboard's own figures, from its cache when the data has not changed since (never stale: the
        # cache key holds the data's fingerprint).
        dash = dashboard_cache.cached_dashboard(plan, year_param(request.query_params)).dash
        return Response(progress_document(plan, dash.year, dash=dash))


@extend_schema_view(list=extend_schema(summary="Establishments", parameters=FILTERS),
                    retrieve=extend_schema(summary="One establishment, by its code"))
class EstablishmentViewSet(ByCodeViewSet):
    """?year=Y: the establishments that existed in Y (set up in or before Y, closed in or after Y)."""

    serializer_class = serializers.EstablishmentSerializer

    def get_queryset(self):
        params = self.request.query_params
        qs = Establishment.objects.select_related("place", "sector").filter(areas.readable_q(self.request.user))
        if self.action == "list":
            year = year_param(params)
            if year is not None:
                qs = qs.filter(Q(established_year__isnull=True) | Q(established_year__lte=year),
                               Q(closed_year__isnull=True) | Q(closed_year__gte=year))
            qs = by_place_and_sector(qs, params)
        return qs.order_by("code")


class EstablishmentRecords(ListViewSet):
    """The records of establishments: filtered by year, the establishment's code, its place (by lineage)
    and sector; a manager with a reading area sees only those of the area's establishments. Each kind gives
    `records(year)`: its queryset of that year (all years for None), from its app's selector."""

    def get_queryset(self):
        params = self.request.query_params
        qs = self.records(year_param(params)).filter(areas.readable_q(self.request.user, "establishment__"))
        if params.get("establishment"):
            qs = qs.filter(establishment__code=params["establishment"])
        return by_place_and_sector(qs, params, "establishment__")


@extend_schema_view(list=extend_schema(summary="Annual reports with their resource lines",
                                        parameters=RECORD_FILTERS))
class AnnualReportViewSet(EstablishmentRecords):
    serializer_class = serializers.AnnualReportSerializer

    def records(self, year):
        lines = ResourceLine.objects.select_related("resource_type")
        return indicator_selectors.report_list({"year": year}).prefetch_related(Prefetch("lines", lines))


@extend_schema_view(list=extend_schema(summary="Cleaner production measures",
                                        parameters=RECORD_FILTERS))
class MeasureViewSet(EstablishmentRecords):
    serializer_class = serializers.MeasureSerializer

    def records(self, year):
        return establishment_selectors.measure_list({"year": year})


@extend_schema_view(list=extend_schema(summary="Assistance given to establishments",
                                        parameters=RECORD_FILTERS))
class AssistanceViewSet(EstablishmentRecords):
    serializer_class = serializers.AssistanceSerializer

    def records(self, year):
        return establishment_selectors.assistance_list({"year": year}).select_related("support_group")


def _attendance_q(params):
    """The attendances of people working at the establishments of ?place= and ?sector=."""
    return by_place_and_sector(Attendance.objects.all(), params, "person__establishment__")


@extend_schema_view(list=extend_schema(summary="Training events with their attendance counts", parameters=[
    YEAR, OpenApiParameter("place", str, description="Events attended by people of the establishments inside "
                           "this place (by lineage)."),
    OpenApiParameter("sector", str, description="Events attended by people of the establishments of this "
                     "sector.")]), retrieve=extend_schema(summary="One event, by its code"))
class EventViewSet(ByCodeViewSet):
    """Events, as on the pages (not limited by a reading area: events belong to no establishment)."""

    serializer_class = serializers.EventSerializer

    def get_queryset(self):
        params = self.request.query_params
        if self.action != "list":
            return training_selectors.event_list()
        qs = training_selectors.event_list(year=year_param(params))
        if params.get("place") or params.get("sector"):
            qs = qs.filter(pk__in=_attendance_q(params).values("event_id"))
        return qs


@extend_schema_view(list=extend_schema(summary="Attendance at training events", parameters=[
    OpenApiParameter("year", int, description="Events that started in this year."),
    OpenApiParameter("event", str, description="An event's code."),
    OpenApiParameter("place", str, description="People of the establishments inside this place (by lineage)."),
    OpenApiParameter("sector", str, description="People of the establishments of this sector.")]))
class AttendanceViewSet(ListViewSet):
    """Attendance, as on the event pages (not limited by a reading area)."""

    serializer_class = serializers.AttendanceSerializer

    def get_queryset(self):
        params = self.request.query_params
        qs = _attendance_q(params).select_related("event", "person", "person__establishment")
        year = year_param(params)
        if year is not None:
            qs = qs.filter(event__start_date__year=year)
        if params.get("event"):
            qs = qs.filter(event__code=params["event"])
        return qs.order_by("event__start_date", "event__code", "person__name", "pk")
