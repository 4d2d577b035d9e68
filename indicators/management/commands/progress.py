"""Print the dashboard's figures for a plan and year: the same engine as the page.

    python manage.py progress --plan 835/QĐ-UBND --year 2018 --format json
"""
import csv
import json

from django.core.management.base import BaseCommand, CommandError

from indicators import engine
from indicators.selectors import default_plan, plan_from_param

JSON_KEYS = ["code", "value", "unit", "numerator", "denominator", "n", "target_low", "target_high", "status",
             "source"]


class Command(BaseCommand):
    help = "Print progress against a plan's targets as of a year (json, csv or table)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan id or decision number (default: the 2013 provincial plan).")
        parser.add_argument("--year", type=int, help="As-of year (default: the latest year with data).")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")

    def handle(self, *args, **opts):
        plan = plan_from_param(opts["plan"]) if opts["plan"] else default_plan()
        if plan is None:
            raise CommandError(f"No plan matches {opts['plan']!r}." if opts["plan"] else "No plan is loaded.")
        year = opts["year"]
        if year is not None and not 1990 <= year <= 2100:
            raise CommandError("The year must be between 1990 and 2100.")
        dash = engine.dashboard(plan, year)
        rows = [{k: row[k] for k in JSON_KEYS} for row in engine.indicator_rows(dash, plan)]
        getattr(self, "_" + opts["format"])(plan, dash, rows)

    def _json(self, plan, dash, rows):
        self.stdout.write(json.dumps({"plan": plan.decision_number, "year": dash.year, "indicators": rows},
                                     ensure_ascii=False, indent=2))

    def _csv(self, plan, dash, rows):
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["plan", "year"] + JSON_KEYS)
        for row in rows:
            writer.writerow([plan.decision_number, dash.year] + ["" if row[k] is None else row[k] for k in JSON_KEYS])

    def _table(self, plan, dash, rows):
        self.stdout.write(f"{plan.decision_number} — as of {dash.year}")
        header = ["code", "value", "unit", "num/den", "n", "target", "status", "source"]
        lines = [header]
        for r in rows:
            target = _target(r["target_low"], r["target_high"])
            lines.append([
                r["code"], "no data" if r["value"] is None else f"{r['value']:.1f}", r["unit"],
                _fraction(r["numerator"], r["denominator"]),
                "" if r["n"] is None else str(r["n"]), target, r["status"] or "", r["source"],
            ])
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        for line in lines:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())


def _target(low, high):
    if low is None:
        return ""
    return f"{low:g}–{high:g}" if high is not None else f">= {low:g}"


def _fraction(numerator, denominator):
    if numerator is None:
        return ""
    if denominator is None:
        return f"{numerator:g}"
    return f"{numerator:g}/{denominator:g}"
