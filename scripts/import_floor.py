"""The floor of an import of annual reports: the same rows loaded by plain set-based SQL.

What `scripts/bench_import.py` compares the portal's import with. No check, no message, no history row,
no ORM: the CSV's rows go into a temporary staging table (PostgreSQL: COPY straight from the file's
bytes; SQLite: csv.reader and executemany), then two INSERT ... SELECT write the annual reports and their
resource lines, joining the staging table with the establishments and resource types by code. Any real
import does at least this much work, so the ratio import / floor says what the checks, the messages and
the history cost on top of moving the rows.
"""
import csv
import io

from django.utils import timezone

STAGING = """
CREATE TEMPORARY TABLE import_floor_staging (
    establishment_code varchar(40),
    year integer,
    product varchar(255),
    product_unit varchar(30),
    output decimal,
    resource varchar(40),
    quantity decimal
)"""

# One report per establishment and year: product, unit and output repeat on each of its rows.
INSERT_REPORTS = """
INSERT INTO indicators_annualreport
    (establishment_id, year, product, product_unit, output, notes, state, state_reason, version, updated_at)
SELECT DISTINCT e.id, s.year, s.product, s.product_unit, s.output, '', 'draft', '', 1, %s
FROM import_floor_staging s
JOIN establishments_establishment e ON e.code = s.establishment_code"""

# One resource line per row, under the report just written for its establishment and year.
INSERT_LINES = """
INSERT INTO indicators_resourceline (report_id, resource_type_id, quantity)
SELECT r.id, t.id, s.quantity
FROM import_floor_staging s
JOIN establishments_establishment e ON e.code = s.establishment_code
JOIN indicators_annualreport r ON r.establishment_id = e.id AND r.year = s.year
JOIN indicators_resourcetype t ON t.code = s.resource"""


def load(connection, data):
    """Load the CSV `data` (bytes, the bench file's columns in its order, a header row) in one transaction."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(STAGING)
        try:
            if connection.vendor == "postgresql":
                cursor.cursor.copy_expert("COPY import_floor_staging FROM STDIN WITH (FORMAT csv, HEADER true)",
                                          io.BytesIO(data))
            else:
                rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
                next(rows)
                cursor.executemany("INSERT INTO import_floor_staging VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
            cursor.execute(INSERT_REPORTS, [now])
            cursor.execute(INSERT_LINES)
        finally:
            cursor.execute("DROP TABLE import_floor_staging")
