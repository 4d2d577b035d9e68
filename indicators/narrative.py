"""Short paragraphs for the printed report, written from an indicator's figures.

Each paragraph says what was reached (the value, and of how many), by whom where
the records name only a few, and what is missing (the gap to the target, or why
there is no value). Plain functions: an `engine.IndicatorResult` in, text out,
so tests call them without HTTP. Numbers go through the same filters as the pages.
"""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontum_cp.templatetags.portal import num, pct, unit_label

from .models import reported_texts
from .registry import HEADCOUNT, POT, registry

MAX_NAMED = 5  # name the establishments behind a figure when there are this many or fewer


def _value(r, value):
    return pct(value) if r.is_percentage else num(value)


def reached(r, names=()):
    """What the figure is, and what it rests on."""
    year = str(r.year)
    if r.value is None:
        return missing(r)
    if r.computed is None:
        doc = reported_texts(r.reported)[0]
        return _("%(label)s: %(value)s, the figure published in “%(doc)s” for %(ryear)s; the records give no value"
                 " of their own.") % {"label": r.label, "value": _value(r, r.value), "doc": doc,
                                      "ryear": r.reported.year}
    if registry.get(r.code).is_reduction:
        text = ngettext(
            "%(label)s: %(value)s on average as of %(year)s, over %(n)s establishment applying CP with"
            " comparable reports (median %(median)s).",
            "%(label)s: %(value)s on average as of %(year)s, over %(n)s establishments applying CP with"
            " comparable reports (median %(median)s).", r.n,
        ) % {"label": r.label, "value": pct(r.value), "year": year, "n": num(r.n), "median": pct(r.median)}
    elif r.is_percentage:
        text = _("%(label)s: %(value)s as of %(year)s (%(x)s of %(y)s).") % {
            "label": r.label, "value": pct(r.value), "year": year, "x": num(r.numerator), "y": num(r.denominator)}
    else:
        text = ngettext("%(label)s: %(value)s establishment up to %(year)s.",
                        "%(label)s: %(value)s establishments up to %(year)s.", int(r.value)) % {
            "label": r.label, "value": num(r.value), "year": year}
    if names and len(names) <= MAX_NAMED and r.numerator is not None and len(names) == int(r.numerator):
        text += " " + _("They are: %(names)s.") % {"names": ", ".join(names)}
    return text


def missing(r):
    """Why an indicator has no value."""
    year = str(r.year)
    indicator = registry.get(r.code)
    if indicator.is_reduction:
        return _("%(label)s: no value as of %(year)s: no establishment applying CP has reports for its baseline"
                 " year and a later year to compare.") % {"label": r.label, "year": year}
    if indicator.denominator == HEADCOUNT and r.denominator is None:
        return _("%(label)s: no value as of %(year)s: no staff headcount has been entered for %(year)s or an"
                 " earlier year.") % {"label": r.label, "year": year}
    if indicator.denominator == POT and not r.denominator:
        return _("%(label)s: no value as of %(year)s: the registry holds no establishment with CP potential"
                 " active in %(year)s.") % {"label": r.label, "year": year}
    return _("%(label)s: no value as of %(year)s: the records give none and no figure has been published.") % {
        "label": r.label, "year": year}


def against_target(r):
    """Where the value stands against the target ('' without a target)."""
    t = r.target
    if t is None or r.status is None or r.status == "no_data":
        return ""
    if r.status == "not_started":
        return _("The plan had not started in %(year)s: the target (at least %(low)s by %(deadline)s) is not"
                 " assessed for that year.") % {"year": r.year, "low": _value(r, t.low), "deadline": t.deadline_year}
    target = {"low": _value(r, t.low), "deadline": t.deadline_year}
    if r.status == "not_assessable":
        return ngettext(
            "The value is among the %(n)s registered establishment only; not assessable against the target (at"
            " least %(low)s by %(deadline)s): %(reason)s.",
            "The value is among the %(n)s registered establishments only; not assessable against the target (at"
            " least %(low)s by %(deadline)s): %(reason)s.", r.registered or 0,
        ) % {**target, "n": num(r.registered), "reason": r.coverage_reason}
    if r.status == "achieved":
        return _("The target (at least %(low)s by %(deadline)s) is achieved.") % target
    gap = _value(r, r.gap)
    if r.status == "on_track":
        return _("The target (at least %(low)s by %(deadline)s) is on track; %(gap)s remain to be reached.") % {
            **target, "gap": gap}
    text = _("The target (at least %(low)s by %(deadline)s) is behind; %(gap)s remain to be reached.") % {
        **target, "gap": gap}
    if r.projection is not None:
        text += " " + _("At the pace of the past years the value would be %(value)s in %(year)s.") % {
            "value": _value(r, r.projection), "year": r.projection_year}
    return text


def beside(r):
    """The published figure of another kind of unit shown beside the value ('' without one): the report's
    7 enterprises pursuing CP beside the share of establishments applying CP."""
    b = r.reported_beside
    if b is None:
        return ""
    return _("“%(doc)s” names %(value)s %(unit)s for %(year)s.") % {
        "doc": reported_texts(b)[0], "value": num(b.value), "unit": unit_label(b.unit), "year": b.year}


def paragraph(r, names=()):
    """The report's paragraph for one indicator."""
    return " ".join(part for part in (reached(r, names), against_target(r), beside(r)) if part)
