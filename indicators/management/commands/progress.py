"""Print the dashboard's figures for a plan and year: the same engine as the page.

    python manage.py progress --plan 835/QĐ-UBND --year 2018 --format json
    python manage.py progress --format table --language en

The table is for people: its headings, words and numbers follow `--language` (Vietnamese by default), while
the indicator codes keep their English names. JSON and CSV are for programs: codes only, the same in every
language.
"""
import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators.exports import JSON_KEYS, STATUS_LABELS, progress_document
from indicators.printed_report import short_source
from indicators.selectors import default_plan, plan_from_param
from kontum_cp.templatetags.portal import unit_label



class Command(BaseCommand):
    help = "Print progress against a plan's targets as of a year (json, csv or table)."

    def add_arguments(self, parser):
        parser.add_argument("--plan", help="Plan id or decision number (default: the 2013 provincial plan).")
        parser.add_argument("--year", type=int, help="As-of year (default: the latest year with data).")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="table")
        parser.add_argument("--language", choices=["vi", "en"], default="vi",
                            help="Language of the table and of the messages (default: vi).")

    def handle(self, *args, **opts):
        with translation.override(opts["language"]):
            plan = plan_from_param(opts["plan"]) if opts["plan"] else default_plan()
            if plan is None:
                raise CommandError(_("No plan matches “%(plan)s”.") % {"plan": opts["plan"]} if opts["plan"]
                                   else _("No action plan has been loaded yet."))
            year = opts["year"]
            if year is not None and not 1990 <= year <= 2100:
                raise CommandError(_("The year must be between 1990 and 2100."))
            document = progress_document(plan, year, with_json_only=opts["format"] == "json")
            getattr(self, "_" + opts["format"])(plan, document)

    def _json(self, plan, document):
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _csv(self, plan, document):
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["plan", "year"] + JSON_KEYS)
        for row in document["indicators"]:
            writer.writerow([plan.decision_number, document["year"]] + ["" if row[k] is None else row[k] for k in JSON_KEYS])

    def _table(self, plan, document):
        self.stdout.write(_("%(plan)s — as of %(year)s") % {"plan": plan.decision_number, "year": document["year"]})
        # "code" is a machine column: its heading and values stay in English.
        header = ["code", _("Value"), _("Unit"), _("Numerator / denominator"), "n", _("Target"),
                  translation.pgettext("progress", "Status"), _("Source")]
        lines = [header]
        for r in document["indicators"]:
            target = _target(r["target_low"], r["target_high"])
            lines.append([
                r["code"], _("no data") if r["value"] is None else _number(r["value"], 1 if r["unit"] == "%" else 0),
                unit_label(r["unit"]),
                _fraction(r["numerator"], r["denominator"]),
                "" if r["n"] is None else str(r["n"]), target,
                str(STATUS_LABELS.get(r["status"], r["status"])) if r["status"] else "", short_source(r["source"]),
            ])
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        for line in lines:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())


def _number(value, decimals=None):
    """A number in the active language's format: 15,5 in Vietnamese, 15.5 in English; whole numbers bare."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    return number_format(value, decimal_pos=decimals, use_l10n=True)


def _target(low, high):
    if low is None:
        return ""
    return f"{_number(low)}–{_number(high)}" if high is not None else f">= {_number(low)}"


def _fraction(numerator, denominator):
    if numerator is None:
        return ""
    if denominator is None:
        return _number(numerator)
    return f"{_number(numerator)}/{_number(denominator)}"
