"""Set-based writes: rows into a temporary staging table, then INSERT ... SELECT and UPDATE ... FROM.

A large import writes its rows in a handful of statements whatever their number, and the history rows
(django-simple-history) of what it creates or changes are copied from the written rows by the database
(`history_select`), with the same columns and values as simple_history writes. PostgreSQL fills the
staging table with COPY, SQLite with executemany. UPDATE ... FROM needs SQLite 3.33 or later.
"""
import csv
import io
from itertools import islice

from django.db import connection

BATCH = 10000  # rows per COPY or executemany: a large import is never held whole as text


def staging_table(cursor, name, columns, rows):
    """Create the temporary table `name` with `columns` ((name, SQL type), ...) and fill it with `rows` (an
    iterable of tuples), BATCH rows at a time.

    The caller drops it before its transaction ends; a transaction rolled back takes it away with it."""
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns)})")
    rows = iter(rows)
    marks = ", ".join(["%s"] * len(columns))
    while batch := list(islice(rows, BATCH)):
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            # Every text quoted, numbers not: an empty text stays empty (not NULL) and nothing else is NULL.
            csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC).writerows(batch)
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {name} FROM STDIN WITH (FORMAT csv)", buffer)
        else:
            cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", batch)  # nosec B608 # a staging table named here
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {name}")  # a temporary table is never analysed by itself


def history_select(model, alias, *, history_type, user_id, reason, when):
    """(INSERT INTO the history table (columns), SELECT list, params): a history row of each row of `model`
    that a query selects under `alias`, as simple_history's bulk_history_create writes it."""
    history_model = model.history.model
    tracked = {f.attname for f in history_model.tracked_fields}
    base = {f.attname: f.column for f in model._meta.concrete_fields}
    constants = {"history_date": when, "history_change_reason": reason, "history_type": history_type,
                 "history_user_id": user_id}
    qn = connection.ops.quote_name
    columns, select, params = [], [], []
    for fld in history_model._meta.concrete_fields:
        if fld.primary_key and fld.attname not in tracked:
            continue  # history_id: the database numbers it
        columns.append(qn(fld.column))
        if fld.attname in tracked:
            select.append(f"{alias}.{qn(base[fld.attname])}")
        else:
            value = constants[fld.attname] if fld.attname in constants else fld.get_default()
            select.append("%s")
            params.append(fld.get_db_prep_save(value, connection))
    head = f"INSERT INTO {qn(history_model._meta.db_table)} ({', '.join(columns)})"
    return head, ", ".join(select), params
