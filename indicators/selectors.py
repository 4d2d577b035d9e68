"""Reads for pages: querysets and aggregates, no writes, no HTTP."""
from .models import ActionPlan, ReportedValue

PROVINCIAL_PLAN_NUMBER = "835/QĐ-UBND"


def default_plan():
    """The 2013 provincial plan if loaded, else the newest provincial plan, else any."""
    plans = ActionPlan.objects.all()
    return (
        plans.filter(decision_number=PROVINCIAL_PLAN_NUMBER).first()
        or plans.filter(level=ActionPlan.Level.PROVINCIAL).order_by("-start_year").first()
        or plans.first()
    )


def latest_reported_values(limit=10):
    """The most recent published figures, newest year first."""
    return list(ReportedValue.objects.select_related("plan").order_by("-year", "indicator_code")[:limit])


def home_summary():
    """Context for the home page: the default plan with its targets, latest figures."""
    plan = default_plan()
    targets = list(plan.targets.order_by("deadline_year", "indicator_code")) if plan else []
    return {
        "plan": plan,
        "targets": targets,
        "reported_values": latest_reported_values(),
        "other_plans": list(ActionPlan.objects.exclude(pk=plan.pk)) if plan else [],
    }


# --- progress dashboard (reads behind the drill-down pages) -------------------------------------

def plan_from_param(value):
    """A plan from a primary key or a decision number; None when nothing matches."""
    if value in (None, ""):
        return None
    value = str(value).strip()
    if value.isdigit():
        plan = ActionPlan.objects.filter(pk=int(value)).first()
        if plan:
            return plan
    return ActionPlan.objects.filter(decision_number=value).first()


def plan_choices():
    return list(ActionPlan.objects.order_by("-level", "-start_year", "decision_number"))


def measures_by_ids(ids):
    """{measure id: measure} in one query."""
    from establishments.models import CPMeasure

    return {mm.pk: mm for mm in CPMeasure.objects.filter(pk__in=list(ids)).order_by("year", "title")}


def people_by_ids(ids):
    from training.models import Person

    return list(Person.objects.filter(pk__in=list(ids)).select_related("establishment").order_by("name", "pk"))


def assistance_for(establishment_ids, start_year, end_year):
    from establishments.models import AssistanceRecord

    return list(
        AssistanceRecord.objects.filter(establishment_id__in=list(establishment_ids), year__gte=start_year,
                                        year__lte=end_year)
        .select_related("establishment").order_by("year", "establishment__code", "kind")
    )


def implemented_measures(establishment_ids, year):
    """Implemented measures (all categories) of the given establishments up to `year`, for the report."""
    from establishments.models import CPMeasure, MeasureStatus

    return list(
        CPMeasure.objects.filter(establishment_id__in=list(establishment_ids), status=MeasureStatus.IMPLEMENTED)
        .select_related("establishment").order_by("establishment__code", "year", "title")
    )


def events_up_to(year, start_year):
    """Events held from the plan's start year to `year`, with their attendance counts (one query)."""
    from django.db.models import Count, Q

    from training.models import Event

    return list(
        Event.objects.filter(start_date__year__gte=start_year, start_date__year__lte=year)
        .annotate(attendees=Count("attendances"), completed=Count("attendances", filter=Q(attendances__completed=True)))
        .order_by("start_date", "code")
    )
