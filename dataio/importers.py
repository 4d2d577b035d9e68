"""Checking a table of rows against the portal's rules and planning what to write.

Speed without losing the models' own messages: existing records are read in
bulk (a few queries whatever the number of rows), each new or changed record
goes through ``clean_fields()`` and ``clean()`` (no database hit; the same
messages as the forms and the admin), references and uniqueness are checked
here against the dictionaries read in bulk, and writes are bulk inserts and
updates. Nothing here writes; :meth:`Plan.apply` does, inside the caller's
transaction.

Every kind goes through one skeleton, :class:`Planner` (key the rows, read the
records they name, refuse a key given twice, find or make each record, validate
what is new or changed); a kind's planner, named by its declaration in
``kinds.py``, fills in only its row-specific parts.
"""
import functools
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from establishments import rules
from establishments.models import (
    CLOSED_BEFORE_ESTABLISHED,
    PLACE_CODE_TAKEN,
    PLACE_ENDS_BEFORE_START,
    AssistanceRecord,
    CPMeasure,
    Establishment,
    Place,
    PlaceSuccession,
    RegistryCoverage,
    Sector,
)
from indicators.models import ResourceType
from kontum_cp import closing
from kontum_cp.models import VersionedModel, year_in_range
from kontum_cp.spreadsheets import column_letters
from training.models import DUPLICATE_ATTENDANCE, YEAR_RANGE_DATE, Attendance, Event, Person, StaffHeadcount
from training.models import END_BEFORE_START as EVENT_END_BEFORE_START

from . import parsing
from .faultpoints import pause_at
from .columns import BOOL, CHOICE, DATE, DATE_OR_YEAR, DECIMAL, INTEGER, REF, TEXT

BATCH = 1000
IN_CHUNK = 900  # below SQLite's oldest limit of 999 parameters per query
MAX_ISSUES = 10000  # stop collecting after this many errors: the file needs fixing anyway

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
CACHE_LIMIT = 50000  # distinct cell texts remembered per column
_MISSING = object()


@dataclass
class Issue:
    row: int
    column: str  # the column's header as written in the file (its key while checking)
    value: str
    message: str
    letter: str = ""  # the spreadsheet's column letter (A, B, ...)




class Row:
    """One data row. Slots, the table's own cells and a tuple of values: a file may hold 200,000 rows."""

    __slots__ = ("number", "cells", "layout", "found", "bad")
    NO_BAD = frozenset()

    def __init__(self, number, cells, layout, found, bad):
        self.number = number
        self.cells = cells  # the row's cell texts, as the table holds them
        self.layout = layout  # the reader's RowLayout, shared by every row
        self.found = found  # the values in the layout's order; _MISSING for a cell that could not be read
        self.bad = bad  # column keys whose cell could not be read

    @property
    def values(self):
        """column key -> value, for the cells read without error: the row itself, a read-only mapping
        (`get`, `[]`, `in`), with no dict of its own."""
        return self

    def get(self, key, default=None):
        index = self.layout.slots.get(key)
        if index is None:
            return default
        value = self.found[index]
        return default if value is _MISSING else value

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key):
        return self.get(key, _MISSING) is not _MISSING

    @property
    def raw(self):
        """column key -> cell text, for the columns present."""
        return {key: self.cells[index] for key, index in self.layout.positions.items()}


@dataclass(frozen=True)
class RowLayout:
    positions: dict  # column key -> index in a row's cells, for the columns present
    slots: dict  # column key -> index in a row's values


@dataclass
class Plan:
    kind: str
    rows_read: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)  # row number -> CREATED / UPDATED / UNCHANGED
    creates: dict = field(default_factory=lambda: defaultdict(list))  # model -> [objects]
    updates: dict = field(default_factory=lambda: defaultdict(dict))  # model -> {id(obj): obj}
    update_fields: dict = field(default_factory=lambda: defaultdict(set))  # model -> {field names}
    order: list = field(default_factory=list)  # models in the order they are written
    columns: list = field(default_factory=list)  # [(letter, header in the file, column key or "")]
    large_changes: list = field(default_factory=list)  # [consumption.LargeChange]: to confirm, not errors
    # Callables (user, now) run just before the writes: what only the importing user and the time of the
    # write give (who confirmed a registry year complete, and when).
    before_write: list = field(default_factory=list)
    closed: frozenset | None = None  # the closed years (`kontum_cp.closing`), read once per plan
    # Writers of rows planned as plain values, not instances (`report_import.ReportWrites`): each has
    # `counts` ({model: [created, updated]}), `establishment_ids()` and `write(user_id=, reason=, when=)`.
    set_based: list = field(default_factory=list)

    def closed_years(self):
        if self.closed is None:
            self.closed = closing.closed_years()
        return self.closed

    # -- collecting --
    def error(self, row, column, value, message):
        if len(self.errors) < MAX_ISSUES:
            self.errors.append(Issue(row, column, value, str(message)))

    def create(self, obj):
        self.creates[type(obj)].append(obj)

    def update(self, obj, fields):
        model = type(obj)
        self.updates[model][id(obj)] = obj
        self.update_fields[model].update(fields)

    def set_outcome(self, row, outcome):
        self.outcomes[row] = outcome

    # -- summary --
    @property
    def counts(self):
        counts = Counter(self.outcomes.values())
        return {CREATED: counts[CREATED], UPDATED: counts[UPDATED], UNCHANGED: counts[UNCHANGED]}

    @property
    def details(self):
        """[(model verbose name plural, created, updated)] for the records behind the rows."""
        out = []
        for model in self.order:
            created, updated = len(self.creates.get(model, ())), len(self.updates.get(model, ()))
            for writer in self.set_based:
                created, updated = (a + b for a, b in zip((created, updated), writer.counts.get(model, (0, 0))))
            if created or updated:
                out.append((str(model._meta.verbose_name_plural), created, updated))
        return out

    @property
    def ok(self):
        return not self.errors

    # -- writing --
    def apply(self, *, user=None, reason=""):
        """Bulk writes in dependency order, each with its history rows; the caller holds the transaction."""
        now = timezone.now()
        user_id = user.pk if user is not None and user.is_authenticated else None
        for stamp in self.before_write:
            stamp(user, now)
        for model, objs in self._creates_in_waves():
            if connection.features.can_return_rows_from_bulk_insert:
                # bulk_create copies the primary keys of parents created just before
                # (reports, events, people) into their children's foreign keys.
                model.objects.bulk_create(objs, batch_size=BATCH)
                insert_history(model, objs, history_type="+", user_id=user_id, reason=reason, when=now)
            else:  # an old SQLite that cannot return the new keys: the slower, generic way
                bulk_create_with_history(objs, model, batch_size=BATCH, default_user=user,
                                         default_change_reason=reason, default_date=now)
            pause_at("rows")
        for model in self.order:
            objs = list(self.updates.get(model, {}).values())
            if not objs:
                continue
            fields = set(self.update_fields[model])
            if issubclass(model, VersionedModel):
                for obj in objs:
                    obj.version += 1
                    obj.updated_at = now
                fields |= {"version", "updated_at"}
            model.objects.bulk_update(objs, sorted(fields), batch_size=BATCH)
            insert_history(model, objs, history_type="~", user_id=user_id, reason=reason, when=now)
        for writer in self.set_based:
            writer.write(user_id=user_id, reason=reason, when=now)

    def _creates_in_waves(self):
        """(model, objects) to create, in order. A model that refers to itself (a place and its parent)
        comes in waves: each object after the one it refers to, so that its key is known."""
        for model in self.order:
            objs = self.creates.get(model)
            if not objs:
                continue
            own = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is model]
            pending = list(objs)
            while pending:
                ready = [o for o in pending if all(
                    (ref := f.get_cached_value(o, None)) is None or ref.pk is not None for f in own)]
                if not ready:
                    raise ValueError(f"{model.__name__}: the objects to create refer to each other in a circle")
                yield model, ready
                waiting = {id(o) for o in ready}
                pending = [o for o in pending if id(o) not in waiting]


def insert_history(model, objs, *, history_type, user_id, reason, when):
    """The django-simple-history rows of `objs`, written with raw multi-row inserts.

    Equivalent to simple_history's bulk_history_create (same columns and values)
    without building a model instance and compiling an INSERT per row, which
    took most of the time of a large import.
    """
    history_model = model.history.model
    tracked = {f.attname for f in history_model.tracked_fields}
    constants = {"history_date": when, "history_change_reason": reason, "history_type": history_type,
                 "history_user_id": user_id}
    columns, getters = [], []
    for fld in history_model._meta.concrete_fields:
        if fld.primary_key and fld.attname not in tracked:
            continue  # history_id: the database numbers it
        columns.append(connection.ops.quote_name(fld.column))
        if fld.attname in tracked:
            if fld.get_internal_type() == "DateTimeField":
                getters.append(lambda obj, f=fld: f.get_db_prep_save(getattr(obj, f.attname), connection))
            else:
                getters.append(lambda obj, name=fld.attname: getattr(obj, name))
        else:
            value = constants[fld.attname] if fld.attname in constants else fld.get_default()
            prepared = fld.get_db_prep_save(value, connection)
            getters.append(lambda obj, v=prepared: v)
    head = "INSERT INTO %s (%s) VALUES " % (
        connection.ops.quote_name(history_model._meta.db_table), ", ".join(columns))
    one_row = "(%s)" % ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-process: executemany is the fastest way.
            for start in range(0, len(objs), 5000):
                cursor.executemany(head + one_row, [[get(obj) for get in getters] for obj in objs[start:start + 5000]])
            return
        # A server (PostgreSQL): executemany would cost one round trip per row, so
        # many rows go in each statement.
        for start in range(0, len(objs), BATCH):
            chunk = objs[start:start + BATCH]
            params = [get(obj) for obj in chunk for get in getters]
            cursor.execute(head + ", ".join([one_row] * len(chunk)), params)


# ---- reading rows ---------------------------------------------------------------

def _fold_map(pairs):
    """{folded name: value}, dropping names that would mean two different values."""
    out, clashes = {}, set()
    for name, value in pairs:
        if not name:
            continue
        key = parsing.fold(name)
        if key in out and out[key] != value:
            clashes.add(key)
        out[key] = value
    return {k: v for k, v in out.items() if k not in clashes}, clashes


def choice_lookup(choices):
    pairs = []
    for value, label in choices.choices:
        pairs.append((value, value))
        for lang in ("vi", "en"):
            with translation.override(lang):
                pairs.append((str(label), value))
    return _fold_map(pairs)


PLACE_PREFIXES = ("thành phố ", "huyện ", "tỉnh ", "thị xã ", "xã ", "phường ")
PLACE_SUFFIXES = (" city", " district", " province", " town", " commune")


def _short_place_names(name):
    folded = parsing.fold(name)
    for prefix in PLACE_PREFIXES:
        if folded.startswith(prefix):
            yield folded[len(prefix):]
    for suffix in PLACE_SUFFIXES:
        if folded.endswith(suffix):
            yield folded[: -len(suffix)]


def reference_lookups():
    """Places, sectors and resource types by code or name (3 queries)."""
    lookups = {}
    for key, model in (("place", Place), ("sector", Sector), ("resource", ResourceType)):
        pairs = []
        rows = list(model.objects.values_list("pk", "code", "name_vi", "name_en"))
        for pk, code, name_vi, name_en in rows:
            pairs += [(code, pk), (name_vi, pk), (name_en, pk)]
        if key == "place":
            for pk, _code, name_vi, name_en in rows:
                pairs += [(short, pk) for short in _short_place_names(name_vi)]
                pairs += [(short, pk) for short in _short_place_names(name_en or "")]
        by_code = {parsing.fold(code): pk for pk, code, _vi, _en in rows}
        names, clashes = _fold_map(pairs)
        names.update(by_code)  # a code always wins over a name
        lookups[key] = (names, clashes - set(by_code))
    return lookups


def fetch_in(queryset, field_name, values):
    """Objects whose `field_name` is in `values`, in chunks (queries: len(values) / 900)."""
    values = sorted(set(values), key=str)
    out = []
    for start in range(0, len(values), IN_CHUNK):
        out.extend(queryset.filter(**{f"{field_name}__in": values[start:start + IN_CHUNK]}))
    return out


REF_UNKNOWN = {
    "place": lambda: _("Unknown place: use its statistical code (e.g. 608) or its name."),
    "sector": lambda: _("Unknown sector: use a sector code (e.g. tapioca_starch) or its name."),
    "resource": lambda: _("Unknown resource: use a resource code (e.g. electricity) or its name."),
    "establishment": lambda: _("No establishment has this code."),
}


class Reader:
    """Maps the header row onto a kind's columns and reads each cell into a value."""

    def __init__(self, kind, table, plan):
        self.kind = kind
        self.table = table
        self.plan = plan
        self.positions = {}  # column key -> index in the row
        self._map_headers()

    def _map_headers(self):
        names = {}
        for col in self.kind.columns:
            names[parsing.fold(col.key)] = col.key
            names[parsing.fold(col.header_vi)] = col.key
            names.update((parsing.fold(former), col.key) for former in col.former_headers)
        for index, header in enumerate(self.table.headers):
            if not header:
                if any(cells[index] for _n, cells in self.table.rows):
                    self.plan.warnings.append(Issue(1, "", "", _("A column without a name holds data; it is not imported.")))
                continue
            key = names.get(parsing.fold(header))
            if key is None:
                self.plan.warnings.append(Issue(
                    1, header, header, _("Unknown column: it is not imported. Check its name against the template."),
                    column_letters(index)))
            elif key in self.positions:
                self.plan.error(1, header, header, _("This column appears twice."))
                self.plan.errors[-1].letter = column_letters(index)
            else:
                self.positions[key] = index
        for col in self.kind.columns:
            if col.required and col.key not in self.positions:
                self.plan.error(1, col.key, "", _("Required column missing (%(vi)s).") % {"vi": col.header_vi})

    def name_columns(self, issues):
        """Show each issue's column as the file names it, with its letter."""
        for issue in issues:
            index = self.positions.get(issue.column)
            if index is not None and not issue.letter:
                issue.column = self.table.headers[index]
                issue.letter = column_letters(index)

    def rows(self, progress=None):
        if self.plan.errors:
            return []
        cols = [c for c in self.kind.columns if c.key in self.positions]
        numeric = [self.positions[c.key] for c in cols if c.type in (INTEGER, DECIMAL)]

        @functools.cache
        def convention():
            # Settled only when a cell needs it, from the cells with a separator ("2016" reads the same in both).
            return parsing.number_convention({cells[i] for _n, cells in self.table.rows for i in numeric
                                              if cells[i] and not cells[i].isdigit()})

        lookups = self._lookups(cols)
        out = []
        total = len(self.table.rows)
        # Codes, years and names repeat from row to row: each distinct cell text of a
        # column is read once.
        readers = [(col.key, self.positions[col.key], {}, col) for col in cols]
        layout = RowLayout(positions={col.key: self.positions[col.key] for col in cols},
                           slots={col.key: slot for slot, col in enumerate(cols)})
        for count, (number, cells) in enumerate(self.table.rows, start=1):
            found, bad = [], Row.NO_BAD
            for key, position, cache, col in readers:
                text = cells[position]
                value = cache.get(text, _MISSING)
                if value is _MISSING:
                    try:
                        value = self._value(col, text, convention, lookups)
                    except parsing.CellError as exc:
                        value = exc
                    if len(cache) < CACHE_LIMIT:
                        cache[text] = value
                if isinstance(value, parsing.CellError):
                    bad = bad | {key}
                    self.plan.error(number, key, text, value)
                    value = _MISSING
                found.append(value)
            out.append(Row(number, cells, layout, tuple(found), bad))
            if progress and count % 5000 == 0:
                progress("read", count, total)
        self.plan.rows_read = total
        return out

    def _lookups(self, cols):
        lookups = {}
        refs = {c.ref for c in cols if c.type == REF}
        if refs - {"establishment"}:
            lookups.update(reference_lookups())
        if "establishment" in refs:
            codes = {cells[self.positions[c.key]] for c in cols if c.ref == "establishment"
                     for _n, cells in self.table.rows}
            codes = {c for c in codes if "\x00" not in c}  # refused at their cells (_value); PostgreSQL would fail
            found = fetch_in(Establishment.objects.values_list("code", "pk"), "code", codes - {""})
            exact = dict(found)
            # A code written in another case ("kt-0001") is accepted when it fits one establishment.
            missing = {c for c in codes - {""} if c not in exact}
            if missing:
                upper = {c.upper() for c in missing}
                loose = fetch_in(Establishment.objects.values_list("code", "pk"), "code", upper)
                folded, _clashes = _fold_map(loose)
                exact.update({c: folded[parsing.fold(c)] for c in missing if parsing.fold(c) in folded})
            lookups["establishment"] = (exact, set())
        for col in cols:
            if col.type == CHOICE:
                lookups[col.key] = choice_lookup(col.choices)
        return lookups

    def _value(self, col, text, convention, lookups):
        if "\x00" in text:  # as the forms refuse it; PostgreSQL cannot store or even look up such text
            raise parsing.CellError(ProhibitNullCharactersValidator.message)
        if col.type == TEXT:
            return parsing.text_value(text)
        if text == "":
            return None
        if col.type == INTEGER:
            return parsing.integer_value(text, convention)
        if col.type == DECIMAL:
            return parsing.decimal_value(text, convention)
        if col.type == DATE:
            return parsing.date_value(text)
        if col.type == DATE_OR_YEAR:
            if parsing.is_year(text):
                return (int(text), None)
            day = parsing.date_value(text)
            return (day.year, day)
        if col.type == BOOL:
            return parsing.bool_value(text)
        if col.type == CHOICE:
            names, clashes = lookups[col.key]
            key = parsing.fold(text)
            if key in names:
                return names[key]
            if key in clashes:
                raise parsing.CellError(_("This name fits more than one value: use the code."))
            allowed = ", ".join(value for value, _label in col.choices.choices)
            raise parsing.CellError(_("Unknown value. Allowed codes: %(codes)s.") % {"codes": allowed})
        if col.type == REF:
            names, clashes = lookups[col.ref]
            key = text if col.ref == "establishment" else parsing.fold(text)
            if key in names:
                return names[key]
            if key in clashes:
                raise parsing.CellError(_("This name fits more than one value: use the code."))
            raise parsing.CellError(REF_UNKNOWN[col.ref]())
        raise ValueError(col.type)


# ---- helpers shared by the kinds -------------------------------------------------

def blank_message(model, field_name):
    return model._meta.get_field(field_name).error_messages["blank"]


def assign(obj, values):
    """Set attributes; return the names of those whose value changed.

    A record read from the portal first notes the year it is dated in, so that moving it out of a closed
    year is refused too (`kontum_cp.closing.remember`).
    """
    closing.remember(obj)
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


_RELATIONS = {}


def _relation_names(model):
    if model not in _RELATIONS:
        _RELATIONS[model] = frozenset(f.name for f in model._meta.concrete_fields if f.is_relation)
    return _RELATIONS[model]


def model_errors(plan, obj, row, columns, exclude=(), run_clean=True):
    """Run the model's own field and object validation; report each message at its column.

    `columns` maps model field names to column keys. Foreign keys are always
    excluded: references were checked against the bulk-read dictionaries.
    """
    exclude = set(exclude) | _relation_names(type(obj))
    errors = {}
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if run_clean:
        try:
            obj.clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    for name, errs in errors.items():
        column = columns.get(name, "") if name != NON_FIELD_ERRORS else ""
        for message in ValidationError(errs).messages:
            plan.error(row.number, column, row.raw.get(column, ""), message)
    return not errors and writable(plan, obj, row, columns.get("year", ""))


def writable(plan, obj, row, column=""):
    """Whether `obj` may be written: not dated in a closed year, not locked (an approved report); else the
    rule's message at the row (`kontum_cp.closing`). No query but the closed years, once per import."""
    message = closing.refusal(obj, closed=plan.closed_years(), stored=obj)
    if message:
        plan.error(row.number, column, row.raw.get(column, "") if column else "", message)
        return False
    return True


def given(row, column_map, model):
    """{field: value} for the columns present and read.

    An empty cell of a field with a default (a status, a yes/no column) leaves the
    record's value alone (a new record gets the default); an empty text cell is "".
    """
    out, values = {}, row.values
    for column, field_name in column_map.items():
        value = values.get(column, _MISSING)
        if value is _MISSING:
            continue
        if value is None:
            model_field = model._meta.get_field(field_name.removesuffix("_id"))
            if model_field.has_default():
                continue
            if not model_field.null and model_field.get_internal_type() in ("CharField", "TextField"):
                value = ""
        out[field_name] = value
    return out


def duplicate(plan, row, column, first_row, message=None):
    if message:
        text = "%s (%s)" % (message, _("see row %(row)d") % {"row": first_row})
    else:
        text = _("Repeats a record already given in row %(row)d; each record may appear once in a file.") % {
            "row": first_row}
    plan.error(row.number, column, row.raw.get(column, ""), text)


def outcome_of(is_new, changed):
    return CREATED if is_new else (UPDATED if changed else UNCHANGED)


# ---- the planning skeleton ---------------------------------------------------------

SKIP = object()  # Planner.find: the row's record cannot be chosen (the error is reported)


def key_cells(plan, row, model, pairs):
    """The key values of a row, or None after reporting each empty key cell."""
    values = row.values
    if not row.bad:
        key = tuple(values.get(column) for column, _f in pairs)
        if None not in key and "" not in key:
            return key
    missing = False
    for column, field_name in pairs:
        if column in row.bad:
            missing = True
        elif values.get(column) in (None, ""):
            plan.error(row.number, column, "", blank_message(model, field_name))
            missing = True
    return None if missing else tuple(values[c] for c, _f in pairs)


class Planner(ABC):
    """How every kind checks its rows and plans its writes; each kind's planner fills in its own parts.

    The skeleton (`run`): key each row (an empty key cell is an error), read in bulk the records that
    the keys name, then `check` the keyed rows. Kinds with one record per row extend `RecordPlanner`,
    which checks them one by one; the report and attendance kinds, whose rows group into several
    records, write their own `check`.
    """

    models = ()  # the models written, in the order they are written; the first is the one the rows name
    key_columns = ()  # ((column, model field), ...): the cells that name a row's record
    repeat_column = ""  # where a key given twice is reported (empty: the key's last column)
    repeat_message = None  # what a key given twice breaks (None: the model's unique constraint on the key)

    def __init__(self, plan):
        self.plan = plan
        self.existing = {}

    def run(self, rows):
        self.plan.order = list(self.models)
        keys = {}  # each key kept once, however many rows give it
        keyed = [(keys.setdefault(key, key), row) for row in rows if (key := self.key(row)) is not None]
        self.existing = self.read(keys.keys())
        self.check(keyed)
        del keyed, keys  # not held while `finish` runs
        self.finish()

    def key(self, row):
        """The row's key, or None after reporting what is missing."""
        return key_cells(self.plan, row, self.models[0], self.key_columns)

    @abstractmethod
    def read(self, keys):
        """{key: record} of the records in the portal that `keys` name (a few queries, never one per row)."""

    @abstractmethod
    def check(self, keyed):
        """Check the rows [(key, row), ...] and plan their writes."""

    def finish(self):
        """After the last row."""

    def repeated(self, seen, key, row):
        """Whether an earlier row gave `key` (reported as an error); else remember this row."""
        if key in seen:
            duplicate(self.plan, row, self.repeat_column or self.key_columns[-1][0], seen[key],
                      self.repeat_message or unique_message(self.models[0], {f for _c, f in self.key_columns}))
            return True
        seen[key] = row.number
        return False


class RecordPlanner(Planner):
    """The kinds with one record per row: a key given twice is an error; for every other row, find the
    record or make it, assign the file's values, validate it when it is new or changed, plan its write."""

    @abstractmethod
    def new(self, key):
        """A new record named by `key`."""

    @abstractmethod
    def values(self, row):
        """{field: value} that the row gives its record."""

    @abstractmethod
    def valid(self, obj, row):
        """Validate a new or changed record, reporting each message at its column; True when it may be written."""

    def check(self, keyed):
        seen = {}
        for key, row in keyed:
            if not self.repeated(seen, key, row):
                self.plan_row(key, row)

    def find(self, key, row):
        """The record in the portal that `key` names; None when there is none, SKIP after an error."""
        return self.existing.get(key)

    def plan_row(self, key, row):
        obj = self.find(key, row)
        if obj is SKIP:
            return
        is_new = obj is None
        if is_new:
            obj = self.new(key)
        changed = assign(obj, self.values(row))
        if is_new or changed:
            if not self.valid(obj, row) or row.bad:
                return
            self.plan.create(obj) if is_new else self.plan.update(obj, changed)
        self.plan.set_outcome(row.number, outcome_of(is_new, changed))


def unique_message(model, fields):
    """The message of the model's unique constraint on exactly `fields`; None when it has none."""
    return next((c.violation_error_message for c in model._meta.constraints
                 if fields and set(getattr(c, "fields", ())) == fields), None)


def field_columns(column_fields, **more):
    """{model field: column} for model_errors, from {column: model field}."""
    return {f.removesuffix("_id"): c for c, f in column_fields.items()} | more


# ---- the kinds' planners ---------------------------------------------------------------

EST_COLUMNS = {
    "code": "code", "name": "name", "legal_form": "legal_form", "parent_organisation": "parent_organisation",
    "place": "place_id", "sector": "sector_id", "address": "address", "cp_potential": "cp_potential",
    "employees": "employees", "technical_staff": "technical_staff", "established_year": "established_year",
    "status": "status", "closed_year": "closed_year", "baseline_year": "baseline_year",
}


class EstablishmentPlanner(RecordPlanner):
    """One establishment per row, matched on its code."""

    models = (Establishment,)
    repeat_column = "code"

    def key(self, row):
        return row.values.get("code", "")  # an empty code is reported by the model ("required")

    def repeated(self, seen, key, row):
        return key != "" and super().repeated(seen, key, row)

    def read(self, codes):
        return {e.code: e for e in fetch_in(Establishment.objects.all(), "code", codes - {""})}

    def new(self, key):
        return Establishment()

    def values(self, row):
        return given(row, EST_COLUMNS, Establishment)

    def valid(self, obj, row):
        bad_fields = {EST_COLUMNS[c].removesuffix("_id") for c in row.bad}
        valid = model_errors(self.plan, obj, row, field_columns(EST_COLUMNS), exclude=bad_fields,
                             run_clean=not row.bad)
        if not rules.closing_year_valid(obj.established_year, obj.closed_year) and not row.bad:
            self.plan.error(row.number, "closed_year", row.raw.get("closed_year", ""), CLOSED_BEFORE_ESTABLISHED)
            valid = False
        return valid


MEASURE_COLUMNS = {"category": "category", "status": "status", "year": "year", "year_earliest": "year_earliest",
                   "year_latest": "year_latest", "investment_vnd": "investment_vnd"}
RANGE_COLUMNS = ("year_earliest", "year_latest")


def exact_if_equal(earliest, latest):
    """A range whose two ends are equal is that exact year: (year, None, None); else (None, earliest, latest)."""
    if earliest is not None and earliest == latest:
        return earliest, None, None
    return None, earliest, latest


class MeasurePlanner(RecordPlanner):
    """One CP measure per row, matched on establishment code and title."""

    models = (CPMeasure,)
    key_columns = (("establishment_code", "establishment"), ("title", "title"))

    def read(self, keys):
        return {(m.establishment_id, m.title): m
                for m in fetch_in(CPMeasure.objects.all(), "establishment_id", {k[0] for k in keys})}

    def new(self, key):
        return CPMeasure(establishment_id=key[0], title=key[1])

    def values(self, row):
        values = given(row, MEASURE_COLUMNS, CPMeasure)
        if not any(column in row.values for column in RANGE_COLUMNS):
            # A file without the range columns (written before them) means what it meant then: a year
            # given is the exact year, so a range the measure had is cleared; an empty one changes nothing.
            if values.get("year") is not None:
                values.update(year_earliest=None, year_latest=None)
        elif values.get("year") is None:
            year, earliest, latest = exact_if_equal(values.get("year_earliest"), values.get("year_latest"))
            if year is not None:
                values.update(year=year, year_earliest=earliest, year_latest=latest)
        return values

    def valid(self, obj, row):
        return model_errors(self.plan, obj, row, field_columns(MEASURE_COLUMNS, title="title"), exclude=set(row.bad))


ASSISTANCE_COLUMNS = {"description": "description", "amount_vnd": "amount_vnd"}


class AssistancePlanner(RecordPlanner):
    """One assistance record per row, matched on establishment code, date (or year) and kind; a record dated
    only as a range of years (`date` empty, `date_earliest` and/or `date_latest` given) on establishment
    code, range and kind."""

    models = (AssistanceRecord,)
    key_columns = (("establishment_code", "establishment"), ("date", "year"), ("kind", "kind"))
    repeat_column = "date"

    def key(self, row):
        earliest, latest = row.values.get("date_earliest"), row.values.get("date_latest")
        if row.values.get("date") is None and "date" not in row.bad and (earliest is not None or latest is not None):
            cells = key_cells(self.plan, row, AssistanceRecord, [("establishment_code", "establishment"),
                                                                 ("kind", "kind")])
            if cells is None:
                return None
            year, earliest, latest = exact_if_equal(earliest, latest)
            return cells[0], year, None, cells[1], earliest, latest
        key = super().key(row)
        if key is None:
            return None
        est_id, (year, day), kind = key
        # A date and a range together: matched on the date; the model refuses the pair (`valid`).
        return est_id, year, day, kind, None, None

    def read(self, keys):
        existing = defaultdict(list)
        for rec in fetch_in(AssistanceRecord.objects.all(), "establishment_id", {k[0] for k in keys}):
            existing[(rec.establishment_id, rec.year, rec.date, rec.kind, rec.date_earliest, rec.date_latest)] \
                .append(rec)
        return existing

    def find(self, key, row):
        matches = self.existing.get(key, [])
        if len(matches) > 1:
            self.plan.error(row.number, "date", row.raw.get("date", ""),
                            _("Several assistance records already have this establishment, date and kind; "
                              "correct them in the assistance pages first."))
            return SKIP
        return matches[0] if matches else None

    def new(self, key):
        return AssistanceRecord(establishment_id=key[0], year=key[1], date=key[2], kind=key[3],
                                date_earliest=key[4], date_latest=key[5])

    def values(self, row):
        values = given(row, ASSISTANCE_COLUMNS, AssistanceRecord)
        if row.values.get("date") is not None:
            # A date and a range in one row: kept together so that the model refuses them (`valid`).
            values.update({column: row.values[column] for column in ("date_earliest", "date_latest")
                           if row.values.get(column) is not None})
        return values

    def valid(self, obj, row):
        columns = field_columns(ASSISTANCE_COLUMNS, year="date", date="date", kind="kind",
                                date_earliest="date_earliest", date_latest="date_latest")
        return model_errors(self.plan, obj, row, columns, exclude=set(row.bad), run_clean=not row.bad)


EVENT_COLUMNS = {"event_title": "title", "event_kind": "kind", "event_start": "start_date"}
PERSON_COLUMNS = {"person_category": "category", "establishment_code": "establishment_id", "gender": "gender"}


def _agree(plan, row, first, columns):
    ok = True
    for column in columns:
        if column in row.values and column in first.values and row.values[column] != first.values[column]:
            plan.error(row.number, column, row.raw.get(column, ""),
                       _("Differs from row %(row)d (%(value)s): the same event or person must be written the same "
                         "way on every row.") % {"row": first.number, "value": first.raw.get(column, "")})
            ok = False
    return ok


class AttendancePlanner(Planner):
    """One attendance per row; its event (by code) and person (by name and organisation) are planned from
    the first row that names them, and the later rows must agree with it."""

    models = (Event, Person, Attendance)
    repeat_column = "person_name"
    repeat_message = DUPLICATE_ATTENDANCE

    def key(self, row):
        event_key = key_cells(self.plan, row, Event, [("event_code", "code")])
        person_key = key_cells(self.plan, row, Person, [("person_name", "name")])
        if event_key is None or person_key is None:
            return None
        return event_key[0], (person_key[0], row.values.get("organisation", ""))

    def read(self, keys):
        self.events = {e.code: e for e in fetch_in(Event.objects.all(), "code", {code for code, _p in keys})}
        self.people = defaultdict(list)
        for person in fetch_in(Person.objects.all(), "name", {p[0] for _c, p in keys}):
            self.people[(person.name, person.organisation)].append(person)
        self.states = {Event: {}, Person: {}}  # model -> {key: (first row, obj, is new, changed, usable)}
        return {(a.event_id, a.person_id): a
                for a in fetch_in(Attendance.objects.all(), "event_id", [e.pk for e in self.events.values()])}

    def check(self, keyed):
        seen = {}
        for key, row in keyed:
            event = self.once(Event, key[0], row, EVENT_COLUMNS, self.plan_event)
            person = self.once(Person, key[1], row, PERSON_COLUMNS, self.plan_person)
            if not self.repeated(seen, key, row):
                self.plan_attendance(event, person, row)

    def once(self, model, key, row, columns, plan_first):
        """(obj, is new, changed, usable) of a record that several rows name: planned from the first."""
        states = self.states[model]
        if key in states:
            first, obj, is_new, changed, ok = states[key]
            return obj, is_new, changed, _agree(self.plan, row, first, columns) and ok
        obj, is_new, changed, ok = plan_first(key, row)
        states[key] = (row, obj, is_new, changed, ok)
        return obj, is_new, changed, ok

    def plan_event(self, code, row):
        obj = self.events.get(code)
        is_new = obj is None
        if is_new:
            obj = Event(code=code)
        changed = assign(obj, given(row, EVENT_COLUMNS, Event))
        ok = not (set(EVENT_COLUMNS) & row.bad)
        if ok and (is_new or changed):
            ok = model_errors(self.plan, obj, row, field_columns(EVENT_COLUMNS, code="event_code"), run_clean=True)
            # The event's database rules (Meta.constraints), checked here without a query.
            if ok and obj.start_date and not year_in_range(obj.start_date.year):
                self.plan.error(row.number, "event_start", row.raw.get("event_start", ""), YEAR_RANGE_DATE)
                ok = False
            if ok and obj.start_date and obj.end_date and obj.end_date < obj.start_date:
                self.plan.error(row.number, "event_start", row.raw.get("event_start", ""), EVENT_END_BEFORE_START)
                ok = False
            if ok:
                self.plan.create(obj) if is_new else self.plan.update(obj, changed)
        return obj, is_new, changed, ok

    def plan_person(self, key, row):
        matches = self.people.get(key, [])
        if len(matches) > 1:
            self.plan.error(row.number, "person_name", row.raw.get("person_name", ""),
                            _("Several people in the portal have this name and organisation; merge them first."))
            return None, False, [], False
        obj = matches[0] if matches else None
        is_new = obj is None
        if is_new:
            obj = Person(name=key[0], organisation=key[1])
        changed = assign(obj, given(row, PERSON_COLUMNS, Person))
        ok = not (set(PERSON_COLUMNS) & row.bad)
        if ok and (is_new or changed):
            ok = model_errors(self.plan, obj, row, field_columns(PERSON_COLUMNS, name="person_name",
                                                                 organisation="organisation"), run_clean=True)
            if ok:
                self.plan.create(obj) if is_new else self.plan.update(obj, changed)
        return obj, is_new, changed, ok

    def plan_attendance(self, event_state, person_state, row):
        event, event_new, event_changed, event_ok = event_state
        person, person_new, person_changed, person_ok = person_state
        if not (event_ok and person_ok) or "completed" in row.bad:
            return
        att = None if (event_new or person_new) else self.existing.get((event.pk, person.pk))
        att_new = att is None
        if att_new:
            att = Attendance(event=event, person=person)
        else:
            att.event = event  # the event as read: its year without a query per row
        changed = assign(att, given(row, {"completed": "completed"}, Attendance))
        if (att_new or changed) and not writable(self.plan, att, row, "event_code"):
            return
        if att_new:
            self.plan.create(att)
        elif changed:
            self.plan.update(att, changed)
        self.plan.set_outcome(row.number, CREATED if att_new else
                              UPDATED if (changed or event_changed or person_changed) else UNCHANGED)


class HeadcountPlanner(RecordPlanner):
    """One headcount per row, matched on year and staff category."""

    models = (StaffHeadcount,)
    key_columns = (("year", "year"), ("category", "category"))

    def read(self, keys):
        # A few headcounts a year: all of them in one query, whatever the keys.
        return {(h.year, h.category): h for h in StaffHeadcount.objects.all()}

    def new(self, key):
        return StaffHeadcount(year=key[0], category=key[1])

    def values(self, row):
        return {"headcount": row.values.get("headcount")} if "headcount" not in row.bad else {}

    def valid(self, obj, row):
        return model_errors(self.plan, obj, row, {"year": "year", "category": "category", "headcount": "headcount"},
                            exclude=set(row.bad))


class RegistryPlanner(RecordPlanner):
    """One year per row: whether the registry of establishments is confirmed complete, with a note.

    When `complete` changes, the importing user and the time of the import become who confirmed it and
    when (none once it is no longer confirmed), as in the admin.
    """

    models = (RegistryCoverage,)
    key_columns = (("year", "year"),)
    COLUMNS = {"year": "year", "complete": "complete", "note": "note"}

    def read(self, keys):
        # One row a year: all of them in one query, whatever the keys.
        existing = {c.year: c for c in RegistryCoverage.objects.all()}
        self.was_complete = {year: c.complete for year, c in existing.items()}
        return {(year,): c for year, c in existing.items()}

    def new(self, key):
        return RegistryCoverage(year=key[0])

    def values(self, row):
        return given(row, {"complete": "complete", "note": "note"}, RegistryCoverage)

    def valid(self, obj, row):
        if not model_errors(self.plan, obj, row, self.COLUMNS, exclude=set(row.bad)):
            return False
        if obj.complete != self.was_complete.get(obj.year):
            self.plan.before_write.append(obj.set_confirmation)
            self.plan.update_fields[RegistryCoverage].update({"confirmed_by", "confirmed_at"})
        return True


# ---- a file's plan -----------------------------------------------------------------

def build_plan(kind, table, progress=None):
    """Read and check every row of a file of `kind` (a kinds.ImportKind); the plan holds errors or the writes."""
    plan = Plan(kind=kind.key)
    reader = Reader(kind, table, plan)
    keys = {index: key for key, index in reader.positions.items()}
    plan.columns = [(column_letters(i), header, keys.get(i, "")) for i, header in enumerate(table.headers) if header]
    rows = reader.rows(progress)
    if rows:
        if progress:
            progress("check", 0, len(rows))
        kind.planner(plan).run(rows)
        if progress:
            progress("check", len(rows), len(rows))
    plan.errors.sort(key=lambda issue: (issue.row, reader.positions.get(issue.column, -1), issue.column))
    reader.name_columns(plan.errors)
    if not plan.errors and not rows and not reader.plan.errors:
        plan.error(2, "", "", _("The file has no data rows below the header."))
    return plan


# ---- places ----------------------------------------------------------------------------

PLACE_COLUMNS = {"code": "code", "name": "name_vi", "name_en": "name_en", "level": "level",
                 "valid_from": "valid_from", "valid_to": "valid_to"}
PLACE_VALUES = {k: v for k, v in PLACE_COLUMNS.items() if k not in ("code", "valid_from")}


def split_codes(text):
    """The codes of a cell that lists several, separated by ";" or ","."""
    return [code.strip() for code in (text or "").replace(",", ";").split(";") if code.strip()]


def _overlap(a, b):
    """Whether the periods of two places share a day (open ends are open)."""
    return ((a.valid_from is None or b.valid_to is None or a.valid_from <= b.valid_to)
            and (b.valid_from is None or a.valid_to is None or b.valid_from <= a.valid_to))


class PlacePlanner(Planner):
    """One place per row, matched on its code and valid-from date; its parent and former units are named
    by code and found in the file first, then in the portal, whichever row comes first.

    The parent is the unit with that code valid when the place starts (or, for a place without a start,
    on its last day, else today); a former unit is the one with that code valid on the day before the
    place starts. Each former unit not yet linked gets a succession link dated the place's valid-from
    date (with the row's legal basis); links absent from the file are kept. A code may be used by one
    place at a time: the periods of two places with the same code may not overlap.
    """

    models = (Place, PlaceSuccession)
    key_columns = (("code", "code"),)
    repeat_column = "code"
    repeat_message = gettext_lazy("This place (code and valid-from date) is already given")

    def key(self, row):
        key = key_cells(self.plan, row, Place, [("code", "code")])
        if key is None or "valid_from" in row.bad:
            return None
        return key[0], row.values.get("valid_from")

    def read(self, keys):
        # Every place and link (two queries): parents and former units may be any of them.
        self.places = list(Place.objects.all())
        self.by_pk = {p.pk: p for p in self.places}
        self.links = {(ln.predecessor_id, ln.successor_id): ln for ln in PlaceSuccession.objects.all()}
        return {(p.code, p.valid_from): p for p in self.places}

    def check(self, keyed):
        seen, entries = {}, []
        for key, row in keyed:
            if not self.repeated(seen, key, row):
                entries.append(self.plan_place(key, row))
        self.in_file = [e for e in entries if e is not None]
        file_objs = {id(e[1]) for e in self.in_file}
        self.world = defaultdict(list)  # code -> [(in the file, place)]: the places as they will be
        for obj in self.places + [e[1] for e in self.in_file if e[2]]:
            self.world[obj.code].append((id(obj) in file_objs, obj))
        self.parents = {}  # id(place) -> its parent as the file makes it
        for row, obj, is_new, changed, ok in self.in_file:
            ok = self.check_code(row, obj) and ok
            ok = self.plan_parent(row, obj, changed) and ok
            links_changed = self.plan_links(row, obj, ok)
            if ok and not self.inside_itself(row, obj):
                if is_new:
                    self.plan.create(obj)
                elif changed:
                    self.plan.update(obj, changed)
                self.plan.set_outcome(row.number, CREATED if is_new else
                                      UPDATED if (changed or links_changed) else UNCHANGED)

    def plan_place(self, key, row):
        """(row, place, is new, fields changed, usable) with the row's own values (not yet its parent)."""
        obj = self.existing.get(key)
        is_new = obj is None
        if is_new:
            obj = Place(code=key[0], valid_from=key[1])
        changed = assign(obj, given(row, PLACE_VALUES, Place))
        ok = not (set(PLACE_VALUES) & row.bad)
        if row.values.get("level") is None and "level" not in row.bad:
            self.plan.error(row.number, "level", "", blank_message(Place, "level"))
            ok = False
        if ok and (is_new or changed):
            ok = model_errors(self.plan, obj, row, field_columns(PLACE_COLUMNS), run_clean=False)
        if ok and obj.valid_from and obj.valid_to and obj.valid_to < obj.valid_from:
            self.plan.error(row.number, "valid_to", row.raw.get("valid_to", ""), PLACE_ENDS_BEFORE_START)
            ok = False
        return row, obj, is_new, changed, ok

    def check_code(self, row, obj):
        other = next((o for _f, o in self.world[obj.code] if o is not obj and _overlap(o, obj)), None)
        if other is None:
            return True
        self.plan.error(row.number, "code", row.raw.get("code", ""),
                        PLACE_CODE_TAKEN % {"code": obj.code, "other": other.name})
        return False

    def find(self, code, day):
        """The place with `code` valid on `day`: one of the file if any, else one of the portal."""
        candidates = [(not in_file, o.pk or 0) + (o,) for in_file, o in self.world.get(code, ())
                      if o.valid_on(day)]
        return min(candidates, key=lambda c: c[:2])[2] if candidates else None

    def plan_parent(self, row, obj, changed):
        if "parent_code" not in row.values:
            return "parent_code" not in row.bad
        code = row.values["parent_code"]
        parent = None
        if code:
            day = obj.valid_from or obj.valid_to or timezone.localdate()
            parent = self.find(code, day)
            if parent is None or parent is obj:
                message = (_("A place cannot be part of itself.") if parent is obj else
                           _("Unknown parent: no place with code %(code)s is valid on %(date)s, in this file "
                             "or in the portal.") % {"code": code, "date": f"{day:%d/%m/%Y}"})
                self.plan.error(row.number, "parent_code", row.raw.get("parent_code", ""), message)
                return False
        self.parents[id(obj)] = parent
        if obj.pk is None:
            obj.parent = parent
        elif (parent.pk if parent is not None else None) != obj.parent_id or (parent is not None and parent.pk is None):
            obj.parent = parent
            changed.append("parent")
        return True

    def parent_of(self, obj):
        if id(obj) in self.parents:
            return self.parents[id(obj)]
        return self.by_pk.get(obj.parent_id)

    def inside_itself(self, row, obj):
        place, steps = self.parent_of(obj), 0
        while place is not None and steps < 50:
            if place is obj:
                self.plan.error(row.number, "parent_code", row.raw.get("parent_code", ""),
                                _("A place cannot be part of itself."))
                return True
            place, steps = self.parent_of(place), steps + 1
        return False

    def plan_links(self, row, obj, ok):
        """Plan the succession links of the row's former units; whether any is new or changed."""
        codes = list(dict.fromkeys(split_codes(row.values.get("predecessor_codes"))))
        if not codes:
            return False
        if obj.valid_from is None:
            self.plan.error(row.number, "predecessor_codes", row.raw.get("predecessor_codes", ""),
                            _("A place with former units needs its valid-from date: the date they were succeeded."))
            return False
        day = obj.valid_from - timedelta(days=1)
        basis = row.values.get("legal_basis") or ""
        changed = False
        for code in codes:
            predecessor = self.find(code, day)
            if predecessor is None or predecessor is obj:
                self.plan.error(row.number, "predecessor_codes", row.raw.get("predecessor_codes", ""),
                                _("Unknown former unit %(code)s: no place with this code is valid on %(date)s (the "
                                  "day before this place starts), in this file or in the portal.")
                                % {"code": code, "date": f"{day:%d/%m/%Y}"})
                ok = changed = False
                continue
            link = self.links.get((predecessor.pk, obj.pk)) if predecessor.pk and obj.pk else None
            if link is None:
                link = PlaceSuccession(predecessor=predecessor, successor=obj, date=obj.valid_from, legal_basis=basis)
                if ok:
                    self.plan.create(link)
                changed = True
            elif basis and link.legal_basis != basis:
                link.legal_basis = basis
                if ok:
                    self.plan.update(link, ["legal_basis"])
                changed = True
        return changed
