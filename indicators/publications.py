"""Published figures: the dashboard of a plan and year stored as it was, and how the live data moved since.

`publish` stores every figure of the engine's `IndicatorResult` (value, numerator, denominator, status,
source, the published figure it shows, the ids of the records behind it, ...) as JSON with the data
fingerprint (`charts.data_fingerprint`) and the code version. `stored_dashboard` turns the JSON back into
the engine's `Dashboard`, so the publication's page and printed report are drawn by the same templates
from the stored figures, never from the live data. `differs` and `comparison` say what changed since:
fingerprints first, figures second; `changes_since` lists the history rows written after the publication
in the tables the registry declares (`registry.tables()`).
"""
import dataclasses
import datetime
import os
import subprocess
from functools import cache
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from . import engine, narrative
from .charts import data_fingerprint
from .models import Publication, ReportedValue
from .registry import registry

# Environment variables a deployment may set to the commit it runs, looked at in this order.
VERSION_VARIABLES = ("CODE_VERSION", "GIT_COMMIT", "SOURCE_COMMIT", "SOURCE_VERSION")
MAX_CHANGES = 200  # history rows listed per table, and in all, on a comparison page
# What makes two versions of a figure different (labels and formulas are words, not figures).
# The ids of the records behind a figure are stored with it (`engine.with_record_ids`) but not compared: the
# live dashboard carries none, and a change of records that moves a figure changes its numbers.
COMPARED = ("value", "computed", "numerator", "denominator", "n", "status", "source", "reported_id",
            "reported_beside_id")
LANGUAGES = ("vi", "en")


@cache
def code_version():
    """The commit the portal runs (an environment variable, else `git rev-parse`), "" when unknown; never fails."""
    for name in VERSION_VARIABLES:
        if os.environ.get(name):
            return os.environ[name].strip()[:100]
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).resolve().parent.parent,
                             capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()[:100] if out.returncode == 0 else ""


def _in_languages(lazy):
    texts = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            texts[lang] = str(lazy)
    return texts


def _plain(value):
    """JSON-ready: tuples as lists, dates as ISO text, lazy texts as text."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (int, float, bool, str)):
        return value
    return str(value)


def _reported(rep, english):
    if rep is None:
        return None
    data = {f.name: _plain(getattr(rep, f.name)) for f in dataclasses.fields(rep)}
    data["source_document_en"], data["source_quote_en"] = english.get(rep.id, ("", ""))
    return data


def figure_dict(r, english=None):
    """One `IndicatorResult` as JSON: every field, the label and formula in each language."""
    english = english or {}
    data = {}
    for f in dataclasses.fields(r):
        value = getattr(r, f.name)
        if f.name in ("label", "formula"):
            data[f.name] = _in_languages(value)
        elif f.name in ("reported", "reported_beside"):
            data[f.name] = _reported(value, english)
        elif f.name == "target":
            data[f.name] = None if value is None else {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
        else:
            data[f.name] = _plain(value)
    data["reported_id"] = r.reported.id if r.reported else None
    data["reported_beside_id"] = r.reported_beside.id if r.reported_beside else None
    return data


def _english_texts(dash):
    ids = {rep.id for r in dash.indicators for rep in (r.reported, r.reported_beside) if rep is not None}
    if not ids:
        return {}
    rows = ReportedValue.objects.filter(pk__in=ids).values_list("pk", "source_document_en", "source_quote_en")
    return {pk: (doc, quote) for pk, doc, quote in rows}


def _named_ids(dash):
    return [i for r in dash.indicators if registry.get(r.code).named_in_report
            for i in r.numerator_ids[:narrative.MAX_NAMED + 1]]


def figures_of(dash):
    """What a publication stores of `dash`: its figures, completeness line and the names its report gives."""
    from .selectors import establishment_names

    english = _english_texts(dash)
    return {
        "indicators": [figure_dict(r, english) for r in dash.indicators],
        "completeness": dataclasses.asdict(dash.completeness),
        "names": {str(k): v for k, v in establishment_names(_named_ids(dash)).items()},
    }


def publish(plan, year, user):
    """Store the dashboard of `plan` as of `year` as it is now; the next number for that plan and year."""
    from .dashboard_cache import cached_dashboard

    with transaction.atomic():
        fingerprint = data_fingerprint()
        data = cached_dashboard(plan, year, fingerprint)
        # One publication at a time per plan (the plan's row is locked): numbers never collide.
        type(plan).objects.select_for_update().filter(pk=plan.pk).first()
        last = Publication.objects.filter(plan=plan, year=data.dash.year).aggregate(n=Max("number"))["n"] or 0
        return Publication.objects.create(
            plan=plan, year=data.dash.year, number=last + 1, published_at=timezone.now(), published_by=user,
            fingerprint=fingerprint, code_version=code_version(),
            figures=figures_of(engine.with_record_ids(plan, data.dash)),
        )


def last_publication(plan, year):
    return (Publication.objects.filter(plan=plan, year=year).select_related("published_by")
            .order_by("-number").first())


def _tuple(value):
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


def _stored_reported(data):
    if data is None:
        return None
    names = {f.name for f in dataclasses.fields(engine.Reported)}
    values = {k: v for k, v in data.items() if k in names}
    if values.get("source_date"):
        values["source_date"] = datetime.date.fromisoformat(values["source_date"])
    return engine.Reported(**values)


def _language():
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


def stored_result(data):
    """The engine's `IndicatorResult` of a stored figure, its words in the active language."""
    names = {f.name for f in dataclasses.fields(engine.IndicatorResult)}
    lang = _language()
    values = {k: _tuple(v) for k, v in data.items() if k in names}
    values["label"], values["formula"] = data["label"][lang], data["formula"][lang]
    values["target"] = engine.TargetBounds(**data["target"]) if data.get("target") else None
    values["reported"] = _stored_reported(data.get("reported"))
    values["reported_beside"] = _stored_reported(data.get("reported_beside"))
    return engine.IndicatorResult(**values)


def stored_dashboard(publication):
    """The publication's `Dashboard`: its indicators and completeness line (the breakdowns are not stored)."""
    figures = publication.figures
    return engine.Dashboard(
        plan_id=publication.plan_id, year=publication.year,
        indicators=tuple(stored_result(d) for d in figures["indicators"]),
        completeness=engine.Completeness(**figures["completeness"]),
        by_place=(), by_sector=(), reductions=(), training=(), assistance_per_year=(),
    )


def stored_names(publication):
    return {int(k): v for k, v in publication.figures.get("names", {}).items()}


def stored_texts(publication):
    """`models.reported_texts` for the stored figures: (document, quotation) in the active language."""
    english = {}
    for d in publication.figures["indicators"]:
        for rep in (d.get("reported"), d.get("reported_beside")):
            if rep:
                english[rep["id"]] = (rep.get("source_document_en", ""), rep.get("source_quote_en", ""))

    def texts(rep):
        if _language() == "en":
            doc, quote = english.get(rep.id, ("", ""))
            return doc or rep.source_document, quote or rep.source_quote
        return rep.source_document, rep.source_quote

    return texts


def _compared(data):
    return {k: data.get(k) for k in COMPARED}


def differs(publication, live_dash, live_fingerprint):
    """True when the live figures are not those published: same fingerprint → same; else figure by figure."""
    if publication.fingerprint == live_fingerprint:
        return False
    return bool(figure_rows(publication, live_dash)[1])


def figure_rows(publication, live_dash):
    """([{code, published, now, changed}], number changed): each figure published vs now."""
    live = {r.code: r for r in live_dash.indicators}
    stored = {d["code"]: d for d in publication.figures["indicators"]}
    rows, changed = [], 0
    for code in dict.fromkeys(list(stored) + list(live)):
        published = stored_result(stored[code]) if code in stored else None
        now = live.get(code)
        differ = (code not in stored or now is None
                  or _compared(stored[code]) != _compared(figure_dict(now, {})))
        changed += differ
        rows.append({"code": code, "published": published, "now": now, "changed": differ,
                     "label": (now or published).label})
    return rows, changed


def _record_text(h):
    for name in ("code", "name", "decision_number", "title"):
        value = getattr(h, name, None)
        if value:
            return f"{value}"
    return f"#{h.id}"


def changes_since(publication):
    """(rows, truncated): the history rows written after the publication in the dashboard's tables, newest
    first; at most `MAX_CHANGES` (one query per table, whatever the number of changes)."""
    rows = []
    truncated = False
    for label in registry.tables():
        model = apps.get_model(label)
        history = getattr(model, "history", None)
        if history is None:
            continue
        found = list(history.filter(history_date__gt=publication.published_at)
                     .select_related("history_user").order_by("-history_date", "-history_id")[:MAX_CHANGES + 1])
        truncated = truncated or len(found) > MAX_CHANGES
        rows += [{"model": model._meta.verbose_name, "record": _record_text(h), "record_id": h.id,
                  "user": h.history_user, "date": h.history_date, "type": h.get_history_type_display(),
                  "kind": h.history_type} for h in found[:MAX_CHANGES]]
    rows.sort(key=lambda row: row["date"], reverse=True)
    truncated = truncated or len(rows) > MAX_CHANGES
    return rows[:MAX_CHANGES], truncated
