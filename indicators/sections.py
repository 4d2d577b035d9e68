"""The establishment page's annual reports: their specific consumption table and chart, and their history.

Registered with `establishments.sections` when the app starts (`IndicatorsConfig.ready`), since
`establishments` may not import `indicators`.
"""
from establishments.sections import Section, register
from establishments.selectors import history_entries, records_history

from .consumption_chart import consumption_chart_svg
from .models import AnnualReport, ResourceCategory, ResourceLine, ResourceType
from .selectors import category_labels, consumption_series_for, establishment_reports


def reports_section(establishment, page):
    """The reports (oldest first), their consumption series from the page's baseline year, the chart."""
    reports = establishment_reports(establishment)
    labels = category_labels()
    series = consumption_series_for(reports, page["baseline_year"])
    return {
        "reports": reports,
        "series": series,
        "category_labels": labels,
        "categories": list(labels.items()),
        "chart_svg": consumption_chart_svg(series, {c: ResourceCategory(c).label for c in labels}),
    }


def _line_history(reports):
    """History of the resource lines of `reports`, labelled "year: resource" (2 queries)."""
    years = {r.pk: r.year for r in reports}
    if not years:
        return []
    names = {rt.pk: rt.name for rt in ResourceType.objects.all()}
    records = ResourceLine.history.filter(report_id__in=years).select_related("history_user")
    return history_entries(
        ResourceLine, list(records),
        lambda r: f"{years.get(r.report_id, '')}: {names.get(r.resource_type_id, '')}",
    )


def reports_history(establishment, data):
    """Changes of the establishment's reports and of their resource lines."""
    return (records_history(AnnualReport, lambda r: str(r.year), establishment_id=establishment.pk)
            + _line_history(data["reports"]))


def register_sections():
    register(Section("reports", 10, "indicators/reports/_establishment_section.html",
                     load=reports_section, history=reports_history))
