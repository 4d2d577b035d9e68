"""What the printed report holds, from the cached dashboard.

The report is what the Department sends to the Provincial People's Committee:
a one-page summary table with short sources and numbered notes, a paragraph per
indicator (`narrative`), the key charts two to a page, and the notes with the
full sources. Tables per establishment go to an optional annex only, so the
report's length does not grow with the number of establishments.
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from establishments.departments import current_department, plan_territory_label

from . import dashboard_cache, narrative, records, selectors
from .charts import data_fingerprint
from .models import reported_texts
from .registry import registry

MAX_KEY_CHARTS = 2  # one page of two charts: summary, paragraphs, charts and notes fit four pages


@dataclass(frozen=True)
class SummaryRow:
    result: object  # engine.IndicatorResult
    short_source: str
    note: int | None  # number of the note that gives the full source


@dataclass(frozen=True)
class Note:
    number: int
    text: str


def heading(plan, today, issuer=None):
    """The heading and date line of a report printed on `today`: issued by the Department of that day
    (`issuer`; the view passes the request's, which is today's), naming the plan's territory as it was
    (`territory_label`, e.g. "tỉnh Kon Tum (trước 01/7/2025)"; "" while the plan has no territory)."""
    if issuer is None:
        issuer = current_department(on=today)
    return {"today": today, "issuer": issuer, "territory_label": plan_territory_label(plan)}


def short_source(source):
    """Where a figure comes from, in two or three words (the summary table, `progress --format table`)."""
    return {
        "computed": _("records"),
        "reported": _("published figure"),
        "both": _("records; published figure"),
    }.get(source, "—")


def _note_text(r, rep, texts=reported_texts):
    period = f"{rep.period_start_year}–{rep.year}" if rep.period_start_year and rep.period_start_year != rep.year \
        else str(rep.year)
    document, quote = texts(rep)
    text = _("%(label)s: “%(doc)s” (%(period)s).") % {"label": r.label, "doc": document, "period": period}
    if quote:
        text += " " + _("It says: “%(quote)s”.") % {"quote": quote.rstrip(".")}
    return text


def summary_and_notes(dash, texts=reported_texts):
    """(summary rows, notes): a numbered note for each indicator shown with a published figure (the one
    beside it too: the row points to the first). `texts(reported)` gives its document and quotation (a
    publication gives the stored ones, `publications.stored_texts`)."""
    rows, notes = [], []
    for r in dash.indicators:
        note = None
        for rep in (r.reported, r.reported_beside):
            if rep is not None:
                note = note or len(notes) + 1
                notes.append(Note(len(notes) + 1, _note_text(r, rep, texts)))
        rows.append(SummaryRow(r, short_source(r.source), note))
    return rows, notes


def key_codes(dash):
    """The indicators whose charts the report prints: the first with a target and some value, at most two."""
    codes = [r.code for r in dash.indicators if r.target is not None and any(v is not None for _y, v in r.series)]
    return codes[:MAX_KEY_CHARTS]


def named_ids(dash, plan=None):
    """{code: the first few ids of the establishments behind each figure the report names}: a figure with more
    than `narrative.MAX_NAMED` names none of them. From the result's ids (a publication stores them), else
    from the records' query (`indicators.records`, one query each, whatever the data size)."""
    named = {}
    for r in dash.indicators:
        if not registry.get(r.code).named_in_report:
            continue
        query = records.numerator(plan, dash.year, r.code) if plan is not None and not r.numerator_ids else None
        if query is not None and r.computed is not None:
            named[r.code] = tuple(query.order_by("pk").values_list("pk", flat=True)[:narrative.MAX_NAMED + 1])
        else:
            named[r.code] = r.numerator_ids[:narrative.MAX_NAMED + 1]
    return named


def paragraphs(dash, names=None, plan=None):
    """[(result, text)]: one paragraph per indicator, naming the establishments behind a small count
    (`names`: {id: name}, a publication's stored names; else read from the records of `plan`)."""
    named = named_ids(dash, plan)
    if names is None:
        names = selectors.establishment_names([i for ids in named.values() for i in ids])
    return [
        (r, narrative.paragraph(r, [names[i] for i in named.get(r.code, ()) if i in names]))
        for r in dash.indicators
    ]


ANNEX_ROWS = 100  # rows printed per table of the annex; the rest are in the portal's lists and their downloads


@dataclass(frozen=True)
class AnnexTable:
    rows: list
    total: int

    @property
    def more(self):
        return self.total - len(self.rows)


def annex(plan, year, fingerprint=None):
    """The annex's three tables, each its first `ANNEX_ROWS` rows and how many there are in all (a page stays
    short whatever the data size): implemented measures of the adopters A(Y), assistance from the plan's start
    to Y, events held in that time with the attendance of the events printed. `fingerprint`: the state of the
    data (`charts.data_fingerprint`), which keeps the totals (read when not given)."""
    queries = {
        "measures": selectors.implemented_measures(records.adopters(plan, year), year),
        "assistance": selectors.assistance_for(None, plan.start_year, year, plan.territory_id),
        "events": selectors.events_up_to(year, plan.start_year),
    }
    rows = {
        "measures": list(queries["measures"][:ANNEX_ROWS]),
        "assistance": list(queries["assistance"][:ANNEX_ROWS]),
        "events": list(selectors.first_events_with_attendance(queries["events"], ANNEX_ROWS)),
    }
    totals = {}
    if any(len(r) == ANNEX_ROWS for r in rows.values()):
        totals = _totals(plan, year, fingerprint or data_fingerprint(), queries)
    return {name: AnnexTable(r, totals.get(name, len(r))) for name, r in rows.items()}


def _totals(plan, year, fingerprint, queries):
    """{table: its number of rows}, counted once per state of the data: kept as the figures are, under the data
    fingerprint (`dashboard_cache`), which covers every table the counts read (a change of data gives a new key).
    The counts read whole tables (0.2 s at 100,000 establishments); a page printed again reads them in one
    lookup."""
    return dashboard_cache.get_or_compute(f"annex-totals:{plan.pk}:{year}:{fingerprint}",
                                          lambda: {name: query.count() for name, query in queries.items()})
