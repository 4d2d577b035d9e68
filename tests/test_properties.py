"""Property-based tests (hypothesis) over every form and every import kind (issue 10).

For any input the portal answers with a page or a redirect and never a server error, and a refused
submission leaves the database as it was:

- every form page of the URL table (tests/url_table.py) is posted, as a data-entry user with the right
  hidden version (or opened figures), with its valid data in which hypothesis replaces any fields by
  Vietnamese text, numbers written the Vietnamese way ("350.000.000", "1,5"), empty, huge and negative
  numbers, dates in odd formats, control characters and very long text, or leaves them out. The answer
  is 200, 302, 400 or 409; anything but a redirect (a save) leaves every row of the programme's tables
  as it was;
- every import kind (dataio.kinds.KINDS) gets a small CSV file, its columns (English or Vietnamese
  headers, some dropped or repeated, an unknown one added) filled with the same kind of cells or a
  valid one, uploaded through the upload page, previewed and confirmed, as the role that may import it.
  The preview is a page (with messages or without); the confirmation is a success (302) or the preview
  again with its messages (400), and then no row was written: the only trace is the import record of a
  refused import.

Each example runs in a transaction that is rolled back, so every one starts from the same rows. The
numbers of examples are bounded (EXAMPLES) so that the module runs in about a minute on two cores.
"""
import csv
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataio.kinds import KINDS
from dataio.models import ImportRecord
from tests import url_table
from tests.url_table import DATA_ENTRY, EST, FORMS

pytestmark = pytest.mark.django_db

EXAMPLES = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
IMPORT_EXAMPLES = settings(EXAMPLES, max_examples=20)
ANSWERS = {200, 302, 400, 409}
# What the portal holds: every table of these apps, history included (the record of imports apart).
APPS = ("establishments", "indicators", "training", "dataio")
LOCK_FIELDS = ("version", "opened")  # the hidden optimistic-locking fields: always the right ones

# --- values ----------------------------------------------------------------------------------

VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữự"
              "ỳýỷỹỵĐĂÂÊÔƠƯỮ")
CONTROL = "\x00\x01\x08\x0b\x0c\x1b\x7f\u200b\u202e\ufeff"
text = st.text(alphabet=st.sampled_from(VIETNAMESE + CONTROL + " -_.,;:/'\"<>&=+@#%0123456789\t\r\n"), max_size=30)
grouped = st.integers(-10**22, 10**22).map(lambda n: f"{n:,}".replace(",", "."))  # 350.000.000
decimal_comma = st.builds(lambda whole, part: f"{whole},{part}", st.integers(-10**12, 10**12), st.integers(0, 9999))
odd_numbers = st.sampled_from([
    "", " ", "350.000.000", "1,5", "1.5", "1.000,5", "1,000.5", "-0", "-1", "0", "1e30", "NaN", "Infinity",
    "99999999999999999999", "-99999999999999999999", "1 000", "١٢", "²", "0x10", "5%", "1/2", "12.5.3",
])
dates = st.one_of(
    st.sampled_from(["31/02/2020", "2020-13-01", "00/00/0000", "29/02/2019", "1/1/99", "2018", "01.02.2018",
                     "9999-12-31", "0001-01-01", "2018/02/01", "1.1.1900", "2100-01-01", "32/12/2018"]),
    st.builds(lambda d, m, y: f"{d:02d}/{m:02d}/{y}", st.integers(-1, 40), st.integers(-1, 14),
              st.integers(0, 12000)),
    st.dates().map(str),
)
huge = st.builds(lambda letter, n: letter * n, st.sampled_from(["x", "ữ", "9", " "]), st.integers(256, 5000))
value = st.one_of(text, grouped, decimal_comma, odd_numbers, dates, huge)


def snapshot(skip=()):
    """Every row of the programme's tables (history included), as tuples of all their columns."""
    state = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model in skip:
                continue
            names = [f.attname for f in model._meta.concrete_fields]
            state[model._meta.label] = list(model.objects.order_by("pk").values_list(*names))
    return state


def _fuzzable(name):
    return name not in LOCK_FIELDS and not name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS",
                                                          "MAX_NUM_FORMS"))


@pytest.fixture
def world(db):
    return url_table.world()


# --- forms -----------------------------------------------------------------------------------

# The forms a data-entry user may post (administrators-only ones, closing a year or publishing, refuse them
# whatever the input: the access walk checks that).
ENTRY_FORMS = [page for page in FORMS if DATA_ENTRY in page.post]


@pytest.mark.parametrize("page", ENTRY_FORMS, ids=[page.name for page in ENTRY_FORMS])
def test_any_form_input_gets_an_answer_and_a_refusal_changes_nothing(entry_client, world, page):
    url = page.url(world)

    @EXAMPLES
    @given(st.data())
    def post_anything(data):
        with transaction.atomic():
            valid = page.form(world)  # the current version, as the form was opened
            posted = {name: (data.draw(st.one_of(st.just(given_value), value, st.just(None)), label=name)
                             if _fuzzable(name) else given_value)
                      for name, given_value in valid.items()}
            posted = {name: typed for name, typed in posted.items() if typed is not None}  # None: left out
            before = snapshot()
            response = entry_client.post(url, posted)
            assert response.status_code in ANSWERS
            if response.status_code != 302:  # not saved: a form with its messages, a refusal, a conflict
                assert snapshot() == before
            transaction.set_rollback(True)

    post_anything()


# --- imports ---------------------------------------------------------------------------------

# Cells that a kind accepts, so that some files go through: the world's establishment, the templates' examples.
KNOWN = {"establishment_code": EST}


def _good(column):
    return KNOWN.get(column.key, column.example)


def clean_csv(kind, language):
    """A file that imports: the kind's columns with one row of good cells."""
    return _csv_text([kind.headers(language), [_good(c) for c in kind.columns]], ",")


def _csv_text(rows, delimiter):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _csv(draw, kind):
    language = draw(st.sampled_from(["en", "vi"]))
    columns = [c for c in kind.columns if draw(st.integers(0, 9)) > 0]  # now and then one is left out
    if columns and draw(st.booleans()):
        columns.append(draw(st.sampled_from(columns)))  # a column given twice
    headers = [c.header(language) for c in columns]
    if draw(st.integers(0, 4)) == 0:
        headers.append(draw(text))  # an unknown column
    rows = [[draw(st.one_of(st.just(_good(c)), value)) for c in columns]
            + [draw(value)] * (len(headers) - len(columns)) for _ in range(draw(st.integers(0, 4)))]
    return _csv_text([headers, *rows], draw(st.sampled_from([",", ";"])))


@st.composite
def import_files(draw, kind):
    """The bytes of a CSV file of `kind`: one that imports, one with any cells, or now and then any bytes."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(st.binary(max_size=200))
    return clean_csv(kind, draw(st.sampled_from(["en", "vi"]))) if choice <= 2 else _csv(draw, kind)


@pytest.mark.parametrize("key", list(KINDS))
def test_any_import_file_gets_a_preview_and_a_refused_one_changes_nothing(request, world, key, settings, tmp_path):
    settings.IMPORT_TEMP_DIR = str(tmp_path)
    kind = KINDS[key]
    client = request.getfixturevalue("admin_client_role" if kind.admin_only else "entry_client")

    @IMPORT_EXAMPLES
    @given(content=import_files(kind), tick=st.booleans())
    def import_anything(content, tick):
        with transaction.atomic():
            before = snapshot(skip={ImportRecord})
            records = set(ImportRecord.objects.values_list("pk", flat=True))
            uploaded = client.post(reverse("dataio:upload"),
                                   {"kind": key, "file": SimpleUploadedFile("fuzz.csv", content)})
            assert uploaded.status_code in (302, 400)  # 400: refused at once (an empty file), with its message
            if uploaded.status_code == 302:
                preview = client.get(uploaded["Location"])
                assert preview.status_code == 200
                assert snapshot(skip={ImportRecord}) == before  # the preview writes nothing
                confirm_url = reverse("dataio:confirm", args=[preview.context["token"]])
                confirmed = client.post(confirm_url, {"confirm_large_changes": "on"} if tick else {})
                assert confirmed.status_code in (302, 400)
                if confirmed.status_code == 400:  # refused: the preview again, with its messages
                    assert confirmed.context["errors"] or confirmed.context["confirm_form"].errors
                    assert snapshot(skip={ImportRecord}) == before
                    new = ImportRecord.objects.exclude(pk__in=records)  # at most the record of a rejection
                    assert all(not r.written for r in new)
            else:
                assert uploaded.context["form"].errors
                assert snapshot(skip={ImportRecord}) == before
                assert set(ImportRecord.objects.values_list("pk", flat=True)) == records
            transaction.set_rollback(True)

    import_anything()



@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("key", list(KINDS))
def test_the_clean_file_of_each_kind_imports(request, world, key, language, settings, tmp_path):
    """The generated file that should import does: the property above sees successes, not only refusals."""
    settings.IMPORT_TEMP_DIR = str(tmp_path)
    kind = KINDS[key]
    client = request.getfixturevalue("admin_client_role" if kind.admin_only else "entry_client")
    uploaded = client.post(reverse("dataio:upload"),
                           {"kind": key, "file": SimpleUploadedFile("clean.csv", clean_csv(kind, language))})
    token = client.get(uploaded["Location"]).context["token"]
    confirmed = client.post(reverse("dataio:confirm", args=[token]), {"confirm_large_changes": "on"})
    assert confirmed.status_code == 302, [i.message for i in confirmed.context["errors"]]
    record = ImportRecord.objects.get()
    assert (record.kind, record.errors, record.created + record.updated) == (key, 0, 1)
