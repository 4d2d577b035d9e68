"""`progress` prints the same bytes as before a change that should not change figures.

The golden files in `golden/` were written by this test (``UPDATE_GOLDEN=1``) from the official data plus 40
synthetic establishments (seed 3), for every plan, every year from 2009 to 2020 and the default year, in every
format and both languages. A refactoring that changes one character of the output fails here; a change that is
meant to change the figures rewrites the files on purpose, and the diff shows what changed.

Full-precision numbers of the JSON and CSV are compared to 9 decimal places: SQLite and PostgreSQL add the
same resource lines in a different order, which moves the 15th digit, and the same files serve both.
"""
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.models import ActionPlan

GOLDEN = Path(__file__).parent / "golden"
YEARS = [None] + list(range(2009, 2021))
RUNS = [("json", "vi"), ("json", "en"), ("csv", "vi"), ("csv", "en"), ("table", "vi"), ("table", "en")]


LONG_DECIMAL = re.compile(r"-?\d+\.\d{10,}")


def _rounded(text):
    return LONG_DECIMAL.sub(lambda m: f"{float(m.group()):.9f}", text)


def progress_output(plan, fmt, language):
    parts = []
    for year in YEARS:
        out = io.StringIO()
        args = ["--plan", plan.decision_number, "--format", fmt, "--language", language]
        if year is not None:
            args += ["--year", str(year)]
        call_command("progress", *args, stdout=out)
        parts.append(f"### year={year or 'default'}\n{_rounded(out.getvalue())}")
    return "".join(parts)


@pytest.fixture
def demo_data(official_data):
    call_command("generate_demo_data", establishments=40, seed=3, verbosity=0, stdout=io.StringIO())


@pytest.mark.django_db
def test_progress_output_is_byte_identical_to_the_golden_files(demo_data):
    plans = list(ActionPlan.objects.order_by("decision_number"))
    assert len(plans) == 2
    differences = []
    for number, plan in enumerate(plans, start=1):
        for fmt, language in RUNS:
            path = GOLDEN / f"progress_plan{number}_{fmt}_{language}.txt"
            text = progress_output(plan, fmt, language)
            if os.environ.get("UPDATE_GOLDEN") == "1":
                path.write_text(text, encoding="utf-8")
            elif path.read_text(encoding="utf-8") != text:
                differences.append(path.name)
    assert not differences, f"progress output changed: {differences} (rerun with UPDATE_GOLDEN=1 only on purpose)"
