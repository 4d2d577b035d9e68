"""The dashboard's CSV/XLSX export, for a manager who opens it in Excel.

Headers are in the user's language; status and source are words, with their
codes in separate machine columns (English names, as the `progress` command
prints them); the value is rounded as the page shows it, with the full value
in its own column. Text cells are neutralised against formula injection.
The `progress` command and the API print flat rows instead (`progress_document`, `engine.indicator_rows`).
"""
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.utils.translation import gettext_lazy

from kontum_cp.spreadsheets import Column, Number, csv_chunks, csv_document, neutralise, styled_xlsx
from kontum_cp.templatetags.portal import num, unit_label

from . import drilldowns, engine
from .models import CATEGORY_UNITS, reported_texts

JSON_KEYS = ["code", "value", "unit", "numerator", "denominator", "n", "target_low", "target_high", "status",
             "source"]
# JSON only: the target's deadline year (null without a target); the published figure shown with the indicator
# ({"value", "unit", "year", "document"}, null when none is shown: a figure about a place inside the plan's
# territory, of the indicator's unit or, beside a percentage, a number of enterprises); and
# {"registered": |POT(Y)| or null, "confirmed": whether the registry of Y is confirmed complete}.
JSON_ONLY_KEYS = ["deadline", "reported", "coverage"]


def progress_document(plan, year, with_json_only=True, dash=None):
    """The figures of `plan` as of `year` (None: the latest year with data) as `progress --format json` prints
    them and the API (api/) serves them: {"plan": decision number, "year", "indicators": [rows of JSON_KEYS
    and, `with_json_only`, JSON_ONLY_KEYS]}. `dash`: the engine's figures already computed (the API passes
    the dashboard's cached ones, `dashboard_cache.cached_dashboard`), else the engine runs."""
    dash = dash if dash is not None else engine.dashboard(plan, year)
    keys = JSON_KEYS + (JSON_ONLY_KEYS if with_json_only else [])
    rows = [{k: row[k] for k in keys} for row in engine.indicator_rows(dash, plan)]
    return {"plan": plan.decision_number, "year": dash.year, "indicators": rows}

STATUS_LABELS = {
    "achieved": gettext_lazy("Achieved"),
    "on_track": gettext_lazy("On track"),
    "behind": gettext_lazy("Behind"),
    "no_data": gettext_lazy("No data"),
    "not_assessable": gettext_lazy("Not assessable"),
    "not_started": gettext_lazy("Not started"),
    None: gettext_lazy("No target"),
}
SOURCE_LABELS = {
    "computed": gettext_lazy("computed from the records"),
    "reported": gettext_lazy("reported value"),
    "both": gettext_lazy("computed from the records; reported value beside it"),
    "none": gettext_lazy("no records and no reported value"),
}
PERCENT_FORMAT, COUNT_FORMAT, FULL_FORMAT, YEAR_FORMAT = "#,##0.0", "#,##0", "0.000000", "0"
# Columns whose numbers are in the indicator's unit: one decimal for a percentage, none for a count.
IN_UNIT = ("value", "target_low", "target_high", "reported_value", "projection")


def shown(value, percentage):
    """The value as the page prints it: one decimal for a percentage, a whole number for a count."""
    if value is None:
        return None
    places = Decimal("0.1") if percentage else Decimal("1")
    return float(Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP))


def _columns():
    pct = PERCENT_FORMAT
    return [
        ("plan", Column(_("Plan"), width=16)),
        ("year", Column(_("As of year"), YEAR_FORMAT, width=10)),
        ("indicator", Column(_("Indicator"), width=40)),
        ("value", Column(_("Value (as shown)"), pct, width=12)),
        ("unit", Column(_("Unit"), width=14)),
        ("status", Column(pgettext("progress", "Status"), width=16)),
        ("target_low", Column(_("Target: minimum"), pct, width=12)),
        ("target_high", Column(_("Target: maximum"), pct, width=12)),
        ("deadline", Column(_("Deadline"), YEAR_FORMAT, width=10)),
        ("numerator", Column(_("Numerator"), COUNT_FORMAT, width=12)),
        ("denominator", Column(_("Denominator"), COUNT_FORMAT, width=12)),
        ("source", Column(_("Source"), width=36)),
        ("reported_value", Column(_("Reported value"), pct, width=12)),
        ("reported_year", Column(_("Reported for year"), YEAR_FORMAT, width=10)),
        ("reported_in", Column(_("Reported in"), width=40)),
        # A published figure in another kind of unit (the report's 7 enterprises beside a percentage).
        ("reported_beside", Column(_("Also published (another unit)"), width=40)),
        ("projection", Column(_("Projection"), pct, width=12)),
        ("projection_year", Column(_("Projection year"), YEAR_FORMAT, width=10)),
        ("formula", Column(_("Formula"), width=60)),
        ("value_full", Column(_("Value (full precision)"), FULL_FORMAT, width=14)),
        ("code", Column("code", width=28)),
        ("status_code", Column("status_code", width=14)),
        ("source_code", Column("source_code", width=12)),
    ]


def _beside(reported):
    """“7 enterprises (2018): <document>”, or None."""
    if reported is None:
        return None
    return "%s %s (%s): %s" % (num(reported.value), unit_label(reported.unit), reported.year,
                               reported_texts(reported)[0])


def _row(r, plan, year):
    shown_by = r.reported if (r.computed is None and r.reported is not None) else r
    pct = r.is_percentage
    return {
        "plan": plan.decision_number, "year": year, "indicator": str(r.label), "value": shown(r.value, pct),
        "unit": str(unit_label(r.unit)), "status": str(STATUS_LABELS.get(r.status, r.status or "")),
        "target_low": r.target.low if r.target else None, "target_high": r.target.high if r.target else None,
        "deadline": r.target.deadline_year if r.target else None,
        "numerator": shown_by.numerator, "denominator": shown_by.denominator,
        "source": str(SOURCE_LABELS.get(r.source, r.source)),
        "reported_value": r.reported.value if r.reported else None,
        "reported_year": r.reported.year if r.reported else None,
        "reported_in": reported_texts(r.reported)[0] if r.reported else None,
        "reported_beside": _beside(r.reported_beside),
        "projection": shown(r.projection, pct), "projection_year": r.projection_year,
        "formula": str(r.formula), "value_full": r.value,
        "code": r.code, "status_code": r.status or "", "source_code": r.source,
    }


def export_table(dash, plan):
    """(columns, rows) of the dashboard export: one row per indicator, text already neutralised."""
    columns = _columns()
    rows = []
    for r in dash.indicators:
        row = _row(r, plan, dash.year)
        number_format = PERCENT_FORMAT if r.is_percentage else COUNT_FORMAT
        for key in IN_UNIT:
            row[key] = Number(row[key], number_format)
        rows.append([neutralise(row[key]) for key, _column in columns])
    return [column for _key, column in columns], rows


def csv_text(value):
    """A cell of the dashboard's CSV files: empty for no value, a float to ten significant digits."""
    if isinstance(value, Number):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)


def export_bytes(dash, plan, fmt):
    """The export as bytes: `fmt` is "csv" or "xlsx"."""
    columns, rows = export_table(dash, plan)
    if fmt == "csv":
        return csv_document([c.header for c in columns], rows, text=csv_text)
    return styled_xlsx(columns, rows, sheet_title=str(dash.year))


def reductions_csv(indicator, plan, year, user=None):
    """The CSV (in pieces, as it is sent) of every row of `indicator`'s reduction drill-down
    (`drilldowns.reduction_rows`): the list the dashboard's histogram sums up. Headers and reasons in the
    active language, kept while the rows are read after the view has returned."""
    unit = CATEGORY_UNITS.get(indicator.resource_category)
    header = [_("Code"), _("Establishment"), _("Baseline year"), _("Baseline use (%(u)s per unit)") % {"u": unit},
              _("Compared year"), _("Current use (%(u)s per unit)") % {"u": unit}, _("Reduction (%)"),
              _("Counted")]
    rows = drilldowns.reduction_rows(indicator, plan, year, user=user)
    return csv_chunks(header, _reduction_cells(rows, translation.get_language()), text=csv_text)


def _reduction_cells(rows, language):
    with translation.override(language):
        for e, red, base, t, base_i, cur_i, reason in rows:
            yield [e.code, neutralise(e.name), base, base_i, t, cur_i, red,
                   _("counted") if red is not None else str(reason)]
