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
