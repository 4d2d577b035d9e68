"""Many rows of one model written straight into its table, for data that is valid by construction.

``generate_demo_data`` writes millions of synthetic rows. Django's ``bulk_create`` builds a model
instance per row and prepares every value of it field by field, which costs more than the database
write itself; these writers take plain tuples instead: ``COPY … FROM STDIN`` on PostgreSQL, one
``executemany`` per batch on SQLite. Like ``bulk_create`` they call no ``save()``, send no signal and
record no history; unlike it they run no per-field preparation, so the caller gives values the
driver takes as they are (str, int, bool, Decimal, date, None) and must know them to be valid: no
``full_clean()`` runs. A column the caller does not name takes its field's default (``auto_now``
fields the time of the writer's creation), computed once.
"""
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, CharField, TextField

COPY_READ_SIZE = 1 << 16


def _copy_text(value):
    """One value in PostgreSQL's COPY text format (tab, newline and backslash escaped)."""
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_bool(value):
    return "t" if value else "f"


def _copy_formatter(field):
    if isinstance(field, BooleanField):
        to_text = _copy_bool
    elif isinstance(field, (CharField, TextField)):
        to_text = _copy_text
    else:
        to_text = str  # numbers, Decimal and dates print as PostgreSQL reads them
    if not field.null:
        return to_text
    return lambda value: r"\N" if value is None else to_text(value)


class RowWriter:
    """Inserts tuples of ``fields`` (names or attnames, e.g. ``"id"``, ``"establishment_id"``) of ``model``."""

    def __init__(self, model, fields, using=DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        rest = [f for f in meta.concrete_fields
                if f not in given and not f.primary_key and not getattr(f, "generated", False)]
        blank = model()
        self.defaults = tuple(f.get_db_prep_save(f.pre_save(blank, add=True), self.connection) for f in rest)
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in given + rest)
        self.table = meta.db_table
        self.postgres = self.connection.vendor == "postgresql"
        if self.postgres:
            self.sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN"
            self.formatters = [_copy_formatter(f) for f in given]
            self.tail = "".join("\t" + _copy_formatter(f)(value) for f, value in zip(rest, self.defaults)) + "\n"
        else:
            marks = ", ".join(["%s"] * (len(given) + len(rest)))
            self.sql = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"

    def write(self, rows):
        """Insert the rows (a list of tuples in the order of ``fields``); returns how many."""
        if not rows:
            return 0
        if self.postgres:
            self._copy(rows)
        else:
            defaults = self.defaults
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, [row + defaults for row in rows])
        return len(rows)

    def _copy(self, rows):
        formatters, tail = self.formatters, self.tail
        lines = ("\t".join([to_text(value) for to_text, value in zip(formatters, row)]) + tail for row in rows)
        with self.connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.sql, _LineReader(lines), size=COPY_READ_SIZE)


class _LineReader:
    """A file for ``copy_expert`` that formats rows as the server asks for them, so the two overlap."""

    def __init__(self, lines):
        self.lines = lines

    def read(self, size=-1):
        parts, length = [], 0
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if length >= size > 0:
                break
        return "".join(parts)


class IdAllocator:
    """Primary keys for rows written with explicit ids, so children can refer to them without reading back.

    PostgreSQL: taken from the table's sequence (``nextval``), so concurrent writers never get the same
    ids. SQLite: counted on from the highest id ever given (``sqlite_sequence``, the table being
    ``AUTOINCREMENT``); writes to an SQLite database are serialised, and an id taken by another writer in
    between makes the insert fail rather than mix rows.
    """

    def __init__(self, model, using=DEFAULT_DB_ALIAS):
        self.connection = connections[using]
        self.table = model._meta.db_table
        self.column = model._meta.pk.column
        self.next = None

    def take(self, count):
        """``count`` new ids, in increasing order."""
        if count <= 0:
            return []
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.column, count],
                )
                return sorted(row[0] for row in cursor.fetchall())
            if self.next is None:
                quote = self.connection.ops.quote_name
                cursor.execute(
                    f"SELECT max(coalesce(max({quote(self.column)}), 0), coalesce((SELECT seq FROM sqlite_sequence "
                    f"WHERE name = %s), 0)) FROM {quote(self.table)}",  # nosec B608 # the model's own table
                    [self.table],
                )
                self.next = cursor.fetchone()[0] + 1
        first, self.next = self.next, self.next + count
        return range(first, first + count)


@contextmanager
def keys_and_indexes_rebuilt_at_end(models, using=DEFAULT_DB_ALIAS):
    """The tables' plain (non-unique) indexes, and on PostgreSQL their foreign keys, dropped while rows are
    written and rebuilt at the end: the pg_restore way of loading many rows.

    Updating an index row by row costs more than building it once (on PostgreSQL five times the insert
    itself), and PostgreSQL checks a deferred foreign key with one query per inserted row at commit, where
    adding the key back checks every row in one query (thirty times faster). Primary keys, unique
    constraints and check constraints stay: they are checked as rows arrive. SQLite checks a foreign key
    as the row is inserted, cheaply, and cannot drop one: its keys stay.

    It must run inside the transaction of the writes: the DDL is transactional on both databases, so an
    error, or a row that breaks a key, rolls everything back and leaves the tables as they were. Until it
    commits the tables are locked against other sessions (on SQLite the whole database already is).
    """
    connection = connections[using]
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            drop, rebuild = _postgres_keys_and_indexes(cursor, tables, connection.ops.quote_name)
        else:
            drop, rebuild = _sqlite_indexes(cursor, tables, connection.ops.quote_name)
        for statement in drop:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in rebuild:
            cursor.execute(statement)


def _postgres_keys_and_indexes(cursor, tables, quote):
    regclasses = [[quote(table) for table in tables]]
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1",
        regclasses,
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
        regclasses,
    )
    keys = cursor.fetchall()
    # Checks still pending (rows deleted or written earlier in the transaction) run first:
    # PostgreSQL refuses to alter a table with pending checks.
    drop = ["SET CONSTRAINTS ALL IMMEDIATE"]
    drop += [f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}" for table, name, _definition in keys]
    drop += [f"DROP INDEX {name}" for name, _definition in indexes]
    rebuild = [definition for _name, definition in indexes]
    rebuild += [f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}" for table, name, definition in keys]
    rebuild.append("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its foreign keys
    return drop, rebuild


def _sqlite_indexes(cursor, tables, quote):
    marks = ", ".join(["%s"] * len(tables))
    cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) "  # nosec B608 # placeholders only
        "ORDER BY name",
        tables,
    )
    indexes = [(name, sql) for name, sql in cursor.fetchall() if not sql.upper().startswith("CREATE UNIQUE")]
    return [f"DROP INDEX {quote(name)}" for name, _sql in indexes], [sql for _name, sql in indexes]
