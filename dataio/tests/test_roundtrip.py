"""Export → import changes nothing, for every kind and both formats."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dataio.exporters import csv_bytes, export_rows, xlsx_bytes
from dataio.kinds import KINDS
from dataio.services import import_file
from establishments.models import Establishment
from indicators.models import AnnualReport, ResourceLine
from training.models import Event, Person

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [Establishment, AnnualReport, ResourceLine, Event, Person] + [kind.model for kind in KINDS.values()]


def snapshot():
    """Every row of every model involved, and how many history rows each has."""
    state = {}
    for model in set(HISTORY_MODELS):
        state[model.__name__] = list(model.objects.order_by("pk").values())
        state[model.__name__ + ".history"] = model.history.count()
    return state


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_export_then_import_changes_nothing(sample_data, kind, fmt):
    before = snapshot()
    frame = export_rows(kind)
    assert len(frame) > 0
    data = csv_bytes(frame) if fmt == "csv" else xlsx_bytes(frame)
    result = import_file(kind=kind, file_name=f"export.{fmt}", data=data)
    assert result.ok, result.errors
    assert result.all_unchanged, result.counts
    assert result.counts["unchanged"] == len(frame)
    assert snapshot() == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_vietnamese_headers_round_trip(sample_data, kind):
    frame = export_rows(kind, headers="vi")
    result = import_file(kind=kind, file_name="x.csv", data=csv_bytes(frame))
    assert result.ok and result.all_unchanged, (result.errors, result.counts)


def test_export_into_an_empty_database_recreates_the_records(sample_data):
    frames = {kind: export_rows(kind) for kind in KINDS}
    originals = sorted(AnnualReport.objects.values_list("establishment__code", "year", "output"))
    ResourceLine.objects.all().delete()
    AnnualReport.objects.all().delete()
    result = import_file(kind="reports", file_name="r.csv", data=csv_bytes(frames["reports"]))
    assert result.ok and result.counts["created"] == len(frames["reports"])
    assert sorted(AnnualReport.objects.values_list("establishment__code", "year", "output")) == originals


def test_unchanged_reimport_costs_the_same_queries_for_50_and_500_rows(db):
    Establishment.objects.bulk_create([Establishment(code=f"KT-{i:04d}", name=f"E{i}") for i in range(50)])
    counts = []
    for n in (5, 50):
        rows = [[f"KT-{i:04d}", f"Cơ sở {i}", "", "", "", "", "", "yes", "", "", "", "active", "", ""]
                for i in range(n)]
        head = [c.key for c in KINDS["establishments"].columns]
        data = "\r\n".join(",".join(r) for r in [head] + rows).encode()
        assert import_file(kind="establishments", file_name="e.csv", data=data).ok
        with CaptureQueriesContext(connection) as ctx:
            assert import_file(kind="establishments", file_name="e.csv", data=data).all_unchanged
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
