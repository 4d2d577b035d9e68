"""The import of annual reports: checked row by row on plain values, written set-based.

A file of annual reports may hold a province's or a country's years: 100,000 resource lines and more.
Each row is still checked on its own, with the messages of the models (their fields' validators, their
`clean()`, `kontum_cp.closing`), but on plain values: a report is a model instance (one per establishment
and year), a resource line only a tuple. What the file creates or changes is then written by
`ReportWrites` in a few statements whatever the number of rows (`dataio.setbased`): staging tables, one
INSERT ... SELECT or UPDATE ... FROM per table, and the history rows copied from the rows written.
"""
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from indicators.models import DUPLICATE_LINE, AnnualReport, ResourceLine
from kontum_cp import closing

from .consumption import FileReport, large_changes_in
from .faultpoints import pause_at
from .importers import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Planner,
    assign,
    blank_message,
    duplicate,
    fetch_in,
)
from .setbased import history_select, staging_table

REPORT_HEAD = ("product", "product_unit", "output")
REPORT_FIELDS = ("year",) + REPORT_HEAD  # the report's fields that a file sets, in the model's order


class FieldCheck:
    """A model field's own checks (`Field.clean`: null, blank, validators) as `Model.clean_fields()` runs
    them, remembered per value: a product or a year repeats over thousands of reports."""

    def __init__(self, model, name, remember=True):
        self.field = model._meta.get_field(name)
        self.remember = remember
        self.seen = {}

    def messages(self, value):
        """[] when `value` passes, else the messages of `clean_fields()`."""
        field = self.field
        if field.blank and value in field.empty_values:
            return []
        if not self.remember:
            return self._messages(value)
        key = (type(value), str(value))  # Decimal("1.0") == Decimal("1.00"), but they have other digits
        found = self.seen.get(key)
        if found is None:
            found = self._messages(value)
            if len(self.seen) < 50000:
                self.seen[key] = found
        return found

    def _messages(self, value):
        if type(value) in (int, Decimal) and not self.field.choices:
            # A number is neither null nor blank: only the validators can refuse it, and they are cheaper
            # than clean(); the messages come from clean() all the same.
            try:
                for validator in self.field.validators:
                    validator(value)
                return []
            except ValidationError:
                pass
        try:
            self.field.clean(value, None)
        except ValidationError as exc:
            return exc.messages
        return []


class ReportPlanner(Planner):
    """The rows of one establishment and year form its annual report; each row gives one resource line."""

    models = (AnnualReport, ResourceLine)
    key_columns = (("establishment_code", "establishment"), ("year", "year"))

    def read(self, keys):
        reports = {
            (r.establishment_id, r.year): r
            for r in fetch_in(AnnualReport.objects.filter(year__in={k[1] for k in keys}), "establishment_id",
                              {k[0] for k in keys})
        }
        reports = {k: r for k, r in reports.items() if k in keys}
        # (report id, resource type id) -> (line id, quantity): plain values, not 100,000 instances.
        self.lines = {
            (report_id, type_id): (pk, quantity)
            for report_id, type_id, pk, quantity in fetch_in(
                ResourceLine.objects.values_list("report_id", "resource_type_id", "pk", "quantity"), "report_id",
                [r.pk for r in reports.values()])
        }
        return reports

    def check(self, keyed):
        self.groups = defaultdict(list)
        for key, row in keyed:
            self.groups[key].append(row)
        self.writes = ReportWrites()
        self.plan.set_based.append(self.writes)
        self.report_checks = [FieldCheck(AnnualReport, name) for name in REPORT_FIELDS]
        self.quantity_check = FieldCheck(ResourceLine, "quantity", remember=False)
        self.planned = {}  # (establishment id, year) -> (product unit, output) of the report as it will be
        for key, group in self.groups.items():
            self.check_report(key, group)

    def check_report(self, key, group):
        """Plan the group's report with the file's product and output, then each row's resource line."""
        first = group[0]
        head, report_ok = _report_head(self.plan, group)
        report = self.existing.get(key)
        report_new = report is None
        if report_new:
            report = AnnualReport(establishment_id=key[0], year=key[1])
        report_changed = assign(report, {k: v if v is not None else (None if k == "output" else "")
                                         for k, v in head.items() if k in first.values})
        refusal = _Refusal(self.plan, report)
        if report_ok and (report_new or report_changed):
            report_ok = self.report_valid(report, first, refusal)
            if report_ok:
                self.writes.report(report, report_new)
        self.planned[key] = (report.product_unit, report.output)
        seen = {}  # resource type id -> row number
        for row in group:
            line = self.plan_line(key, report, report_new, report_ok, refusal, row, seen)
            if line is not None and report_ok:
                line_new, line_changed = line
                self.plan.set_outcome(row.number, CREATED if (report_new or line_new)
                                      else UPDATED if (report_changed or line_changed) else UNCHANGED)

    def report_valid(self, report, row, refusal):
        """The checks of `model_errors`: the fields the file sets, `clean()`, then the closing rule."""
        errors = {}
        for check in self.report_checks:
            messages = check.messages(getattr(report, check.field.attname))
            if messages:
                errors[check.field.name] = messages
        try:
            report.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, messages in errors.items():
            column = name if name in REPORT_FIELDS else ""  # "" for an error of the whole report
            for message in ValidationError(messages).messages:
                self.plan.error(row.number, column, row.raw.get(column, ""), message)
        return not errors and refusal.allows(row, "year")

    def plan_line(self, key, report, report_new, report_ok, refusal, row, seen):
        """(is new, changed) of the row's resource line (none: both false); None when the row has an error."""
        if "resource" in row.bad or "quantity" in row.bad:
            return None
        values = row.values
        resource, quantity = values.get("resource"), values.get("quantity")
        if resource is None and quantity is not None:
            self.plan.error(row.number, "resource", "", blank_message(ResourceLine, "resource_type"))
            return None
        if resource is None:
            return False, False
        if resource in seen:
            duplicate(self.plan, row, "resource", seen[resource], DUPLICATE_LINE)
            return None
        seen[resource] = row.number
        stored = None if report_new else self.lines.get((report.pk, resource))
        line_new = stored is None
        line_changed = not line_new and stored[1] != quantity
        if line_new or line_changed:
            messages = self.quantity_check.messages(quantity)
            for message in messages:
                self.plan.error(row.number, "quantity", row.raw.get("quantity", ""), message)
            # A line is dated in its report's year and locked with it: its report's refusal.
            if messages or not refusal.allows(row, ""):
                return None
            if report_ok:
                self.writes.line(key, resource, quantity, None if line_new else stored[0])
        return line_new, line_changed

    def finish(self):
        if self.plan.ok:
            self.plan.large_changes = large_changes_in(_changed_reports(self.plan, self.groups, self.planned))


class _Refusal:
    """Why a report, and so each of its lines, may not be written (`kontum_cp.closing`); asked once."""

    def __init__(self, plan, report):
        self.plan, self.report, self.message = plan, report, False

    def allows(self, row, column):
        if self.message is False:
            self.message = closing.refusal(self.report, closed=self.plan.closed_years(), stored=self.report)
        if self.message:
            self.plan.error(row.number, column, row.raw.get(column, "") if column else "", self.message)
        return not self.message


def _report_head(plan, group):
    """({column: value} of the report's product, unit and output, whether they are usable).

    They are repeated on each row of a report and must agree.
    """
    first = group[0]
    head = {c: first.values.get(c) for c in REPORT_HEAD}
    report_ok = not (set(REPORT_HEAD) & first.bad)
    for row in group[1:]:
        values = row.values
        for column in REPORT_HEAD:
            if column in row.bad or column in first.bad:
                continue
            if values.get(column) != head[column]:
                plan.error(row.number, column, row.raw.get(column, ""),
                           _("Differs from row %(row)d of the same report (%(value)s): product, unit and output "
                             "must be the same on every row of one establishment and year.")
                           % {"row": first.number, "value": first.raw.get(column, "")})
                report_ok = False
    return head, report_ok


def _changed_reports(plan, groups, planned):
    """The FileReport of each report whose rows create or update something (a plan without errors), one at
    a time, by establishment and year."""
    for key in sorted(groups):
        group = groups[key]
        if any(plan.outcomes.get(row.number) != UNCHANGED for row in group):
            values = [row.values for row in group]
            lines = {v["resource"]: v.get("quantity") for v in values if v.get("resource") is not None}
            unit, output = planned[key]
            yield FileReport(row=group[0].number, establishment_id=key[0], year=key[1], product_unit=unit,
                             output=output, lines=lines)


# ---- writing -------------------------------------------------------------------------------

REPORTS, LINES = "dataio_import_reports", "dataio_import_lines"
REPORT_COLUMNS = (("establishment_id", "bigint"), ("year", "integer"), ("product", "varchar(255)"),
                  ("product_unit", "varchar(30)"), ("output", "decimal"), ("report_id", "bigint"))
LINE_COLUMNS = (("establishment_id", "bigint"), ("year", "integer"), ("resource_type_id", "bigint"),
                ("quantity", "decimal"), ("line_id", "bigint"))
NEW = 0  # report_id / line_id of a row to create (the ids start at 1)

# The reports and lines to write are staged by establishment and year: a new line's report may be new too.
SQL = {
    "insert reports": """
        INSERT INTO indicators_annualreport
            (establishment_id, year, product, product_unit, output, notes, state, state_reason, version, updated_at)
        SELECT establishment_id, year, product, product_unit, output, %s, %s, %s, %s, %s
        FROM dataio_import_reports WHERE report_id = 0""",
    "created reports": """
        FROM indicators_annualreport r
        JOIN dataio_import_reports s ON r.establishment_id = s.establishment_id AND r.year = s.year
        WHERE s.report_id = 0""",
    "update reports": """
        UPDATE indicators_annualreport
        SET product = s.product, product_unit = s.product_unit, output = s.output,
            version = indicators_annualreport.version + 1, updated_at = %s
        FROM dataio_import_reports s WHERE indicators_annualreport.id = s.report_id""",
    "updated reports": """
        FROM indicators_annualreport r JOIN dataio_import_reports s ON r.id = s.report_id""",
    "insert lines": """
        INSERT INTO indicators_resourceline (report_id, resource_type_id, quantity)
        SELECT r.id, s.resource_type_id, s.quantity
        FROM dataio_import_lines s
        JOIN indicators_annualreport r ON r.establishment_id = s.establishment_id AND r.year = s.year
        WHERE s.line_id = 0""",
    "created lines": """
        FROM dataio_import_lines s
        JOIN indicators_annualreport r ON r.establishment_id = s.establishment_id AND r.year = s.year
        JOIN indicators_resourceline l ON l.report_id = r.id AND l.resource_type_id = s.resource_type_id
        WHERE s.line_id = 0""",
    "update lines": """
        UPDATE indicators_resourceline SET quantity = s.quantity
        FROM dataio_import_lines s WHERE indicators_resourceline.id = s.line_id""",
    "updated lines": """
        FROM indicators_resourceline l JOIN dataio_import_lines s ON l.id = s.line_id""",
}


class ReportWrites:
    """The reports and resource lines an import creates or changes, as plain values, written set-based."""

    def __init__(self):
        self.reports = []  # (establishment id, year, product, unit, output, report id or NEW)
        # The lines as five columns (establishment id, year, resource type id, quantity, line id or NEW):
        # their values are shared with the rows, a tuple per line would not be.
        self.lines = ([], [], [], [], [])
        self.counts = {AnnualReport: [0, 0], ResourceLine: [0, 0]}  # model -> [created, updated]

    def report(self, report, is_new):
        self.reports.append((report.establishment_id, report.year, report.product, report.product_unit,
                             report.output, NEW if is_new else report.pk))
        self.counts[AnnualReport][0 if is_new else 1] += 1

    def line(self, key, resource, quantity, line_id):
        establishments, years, resources, quantities, ids = self.lines
        establishments.append(key[0])
        years.append(key[1])
        resources.append(resource)
        quantities.append(quantity)
        ids.append(NEW if line_id is None else line_id)
        self.counts[ResourceLine][0 if line_id is None else 1] += 1

    def establishment_ids(self):
        return {row[0] for row in self.reports} | set(self.lines[0])

    def write(self, *, user_id, reason, when):
        """Write everything planned, each created or changed row with its history row; in the caller's
        transaction."""
        updated_at = AnnualReport._meta.get_field("updated_at").get_db_prep_save(when, connection)
        defaults = [AnnualReport._meta.get_field(name).get_default() for name in ("notes", "state", "state_reason",
                                                                                "version")]
        history = {"user_id": user_id, "reason": reason, "when": when}
        created, updated = self.counts[AnnualReport]
        with connection.cursor() as cursor:
            if self.reports:
                staging_table(cursor, REPORTS, REPORT_COLUMNS, self.reports)
                if created:
                    cursor.execute(SQL["insert reports"], defaults + [updated_at])
                    self._history(cursor, AnnualReport, "created reports", "+", history)
                if updated:
                    cursor.execute(SQL["update reports"], [updated_at])
                    self._history(cursor, AnnualReport, "updated reports", "~", history)
                cursor.execute(f"DROP TABLE {REPORTS}")
                pause_at("rows")
            created, updated = self.counts[ResourceLine]
            if self.lines[0]:
                staging_table(cursor, LINES, LINE_COLUMNS, zip(*self.lines))
                if created:
                    cursor.execute(SQL["insert lines"])
                    self._history(cursor, ResourceLine, "created lines", "+", history)
                if updated:
                    cursor.execute(SQL["update lines"])
                    self._history(cursor, ResourceLine, "updated lines", "~", history)
                cursor.execute(f"DROP TABLE {LINES}")
                pause_at("rows")

    def _history(self, cursor, model, rows, history_type, history):
        head, select, params = history_select(model, "r" if model is AnnualReport else "l",
                                              history_type=history_type, **history)
        cursor.execute(f"{head} SELECT {select} {SQL[rows]}", params)
