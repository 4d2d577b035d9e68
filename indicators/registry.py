"""The indicator registry: one declaration per indicator, read by everything that shows one.

An `Indicator` says all the portal needs to know about an indicator: its
stable code and name, its unit, the formula text printed beside it, the
function that computes it from the engine's snapshot, whether it needs
attendance records, what its drill-down lists and which tables it reads.

The engine computes the registered indicators in registry order; the
dashboard page and its drill-downs, the charts, the exports, the printed
report, the ``progress`` command, the data fingerprint of the caches and the
choices of ``Target.indicator_code`` / ``ReportedValue.indicator_code`` all
read the registry instead of lists of their own. Adding an indicator is one
declaration, its compute function and its tests (docs/architecture.md,
"Adding an indicator"); Django's ``admin.site.register`` is the model.

This module imports nothing of the apps, so that ``indicators.models`` can
read it. The built-in declarations (`builtin_indicators`) name the engine's
functions, and the engine reads the registry: they are declared when the
registry is first used, once every module is loaded.
"""
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Callable

from django.utils.translation import gettext_lazy as _

PERCENT = "%"
COUNT = "establishments"  # a number of establishments (`unit_label` names it)

# What a drill-down page lists (`indicators.drilldowns` builds each, one template each in
# templates/indicators/dashboard/drill/).
ADOPTION = "adoption"  # POT(Y), each with the measures that make it an adopter
REDUCTION = "reduction"  # A(Y), each with its baseline and compared reports
DISSEMINATION = "dissemination"  # POT(Y), each reached or not
PEOPLE = "people"  # the people counted; the denominator is a headcount
TECHNICAL_STAFF = "technical_staff"  # the people counted, and the technical staff of POT(Y)
ASSISTANCE = "assistance"  # the assistance records from the plan's start year to Y
ESTABLISHMENTS = "establishments"  # the establishments counted (the numerator's ids)

# What the denominator is, for the printed report's "why there is no value" (`narrative.missing`).
POT = "pot"
HEADCOUNT = "headcount"

# Tables, as "app_label.Model"; a change to any row of them gives the caches a new key (`charts.data_fingerprint`).
ESTABLISHMENT_TABLES = ("establishments.Establishment", "establishments.CPMeasure")
REPORT_TABLES = ESTABLISHMENT_TABLES + ("indicators.AnnualReport", "indicators.ResourceLine",
                                       "indicators.ResourceType")
ATTENDANCE_TABLES = ("training.Person", "training.Attendance", "training.Event")
# The years whose registry is confirmed complete: read by the indicators judged on the registry.
COVERAGE_TABLES = ("establishments.RegistryCoverage",)
# What the dashboard reads besides its indicators: the plan, its targets and reported values, report
# submission, the places and their successions (a plan's territory, by lineage), the breakdowns by place and
# sector, participation by staff category, assistance per year.
DASHBOARD_TABLES = ("indicators.ActionPlan", "indicators.Target", "indicators.ReportedValue",
                    "indicators.AnnualReport", "establishments.Place", "establishments.PlaceSuccession",
                    "establishments.Sector",
                    "establishments.AssistanceRecord") + ATTENDANCE_TABLES


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it is called, how it is computed, shown and drilled into."""

    code: str  # stable English identifier, stored in targets and reported values
    label: str  # lazy: the name shown in every language
    formula: str = ""  # lazy: printed beside the figure (page, exports)
    # (snapshot, year) -> engine.Computed. None: a target of the national strategy that provincial records
    # cannot compute; it may have targets and reported values but is not on the dashboard.
    compute: Callable | None = None
    # (engine.Figures, year) -> engine.Computed: the same figure from the totals the database computes
    # (`indicators.figures`). Without it the engine computes the indicator with `compute` from the snapshot.
    from_totals: Callable | None = None
    unit: str = PERCENT
    needs_attendance: bool = False  # no value while no attendance at all is recorded up to Y
    drill_down: str = ESTABLISHMENTS
    reads: tuple = ()  # the tables its function reads ("app_label.Model")
    resource_category: str | None = None  # a cut in the use of this category per unit of product
    denominator: str | None = None  # POT or HEADCOUNT: says why there is no value
    named_in_report: bool = False  # the printed report names the few establishments behind the figure
    # A share of the registered establishments POT(Y): judged against its target only for a year whose
    # registry is confirmed complete, else "not assessable" (DOMAIN.md, "Registry coverage"). Such an
    # indicator reads COVERAGE_TABLES.
    judged_on_registry: bool = False

    @property
    def on_dashboard(self):
        return self.compute is not None

    @property
    def is_reduction(self):
        return self.resource_category is not None


class Registry:
    """The indicators in the order of the dashboard, declared once.

    `declare` gives the built-in declarations; it is called on first use (see
    the module's docstring), after which `register` adds and `unregister`
    removes one, and `temporarily` does both around a block (tests).
    """

    def __init__(self, declare=()):
        self._declare = declare
        self._items = None
        self._lock = threading.RLock()

    def _all(self):
        if self._items is None:
            with self._lock:
                if self._items is None:
                    self._items = {}
                    for indicator in (self._declare() if callable(self._declare) else self._declare):
                        self._add(indicator)
        return self._items

    def _add(self, indicator):
        if indicator.code in self._items:
            raise ValueError(f"indicator {indicator.code!r} is already registered")
        self._items[indicator.code] = indicator

    def register(self, indicator):
        with self._lock:
            self._all()
            self._add(indicator)
        return indicator

    def unregister(self, code):
        with self._lock:
            del self._all()[code]

    @contextmanager
    def temporarily(self, *indicators):
        """Register `indicators` for the duration of a block (a test's indicator of its own)."""
        for indicator in indicators:
            self.register(indicator)
        try:
            yield indicators
        finally:
            for indicator in indicators:
                self.unregister(indicator.code)

    def __iter__(self):
        return iter(tuple(self._all().values()))

    def __contains__(self, code):
        return code in self._all()

    def get(self, code):
        """The indicator of `code` (KeyError when none is registered)."""
        return self._all()[str(code)]

    def find(self, code):
        """The indicator of `code` on the dashboard, or None (unknown code, or a target-only one)."""
        indicator = self._all().get(str(code))
        return indicator if indicator is not None and indicator.on_dashboard else None

    def on_dashboard(self):
        """The indicators the engine computes, in the dashboard's order."""
        return tuple(i for i in self if i.on_dashboard)

    def codes(self):
        return tuple(i.code for i in self.on_dashboard())

    def choices(self):
        """(code, label) of every indicator, computed or not: what a target or reported value may name."""
        return [(i.code, i.label) for i in self]

    def resource_categories(self):
        """The resource categories whose reductions are computed ("energy", "material"), in order."""
        return tuple(dict.fromkeys(i.resource_category for i in self.on_dashboard() if i.is_reduction))

    def tables(self):
        """Every table the dashboard reads ("app_label.Model"): its own, then each indicator's, once each."""
        tables = DASHBOARD_TABLES + tuple(t for i in self.on_dashboard() for t in i.reads)
        return tuple(dict.fromkeys(tables))


def builtin_indicators():
    """The programme's indicators (shared DOMAIN.md), in the dashboard's order, then the national targets
    that provincial records cannot compute."""
    from . import engine as e  # the engine reads this registry: its functions are named once it is loaded

    attendance = dict(needs_attendance=True)

    def reduction(category):  # a cut in the use of `category` per unit of product, over A(Y)
        return dict(compute=partial(e.reduction_figure, category=category),
                    from_totals=partial(e.reduction_from_totals, category=category), resource_category=category,
                    drill_down=REDUCTION, reads=REPORT_TABLES)

    def per_headcount(category, trained_only):
        """People of a staff category over the headcount entered for the year (or the latest earlier one)."""
        of = dict(category=category, trained_only=trained_only)
        return dict(compute=partial(e.staff_figure, **of), from_totals=partial(e.staff_from_totals, **of),
                    drill_down=PEOPLE, reads=ATTENDANCE_TABLES + ("training.StaffHeadcount",),
                    denominator=HEADCOUNT, **attendance)
    # A share of POT(Y) reached by training events: judged against its target only where the registry of Y is
    # confirmed complete (DOMAIN.md, *Registry coverage*).
    reached_share_of_pot = dict(reads=ESTABLISHMENT_TABLES + ATTENDANCE_TABLES + COVERAGE_TABLES, denominator=POT,
                                judged_on_registry=True, **attendance)
    return (
        Indicator(
            code="cp_adoption", label=_("Establishments applying CP"),
            formula=_("adopters A(Y) ÷ establishments with CP potential active in Y, POT(Y) × 100; "
                      "adopter = at least one implemented measure, not end-of-pipe, whose latest possible year ≤ Y"),
            compute=e.adoption_figure, from_totals=e.adoption_from_totals, drill_down=ADOPTION, reads=ESTABLISHMENT_TABLES + COVERAGE_TABLES,
            denominator=POT, named_in_report=True, judged_on_registry=True),
        Indicator(
            code="energy_intensity_reduction", label=_("Cut in energy use per unit of product"),
            formula=_("mean over adopters of (1 − energy per unit of product in the latest report year t ≤ Y ÷ "
                      "energy per unit in the baseline year) × 100; same product unit, output > 0"),
            **reduction("energy")),
        Indicator(
            code="material_intensity_reduction", label=_("Cut in material use per unit of product"),
            formula=_("mean over adopters of (1 − material per unit of product in the latest report year t ≤ Y "
                      "÷ material per unit in the baseline year) × 100; same product unit, output > 0"),
            **reduction("material")),
        Indicator(
            code="establishments_disseminated", label=_("Establishments disseminated on CP"),
            formula=_("establishments in POT(Y) with a person at any event started by Y ÷ POT(Y) × 100"),
            compute=e.dissemination_figure, from_totals=e.dissemination_from_totals, drill_down=DISSEMINATION,
            **reached_share_of_pot),
        Indicator(
            code="gov_staff_disseminated", label=_("Government staff disseminated on CP"),
            formula=_("distinct government staff with any attendance at an event started by Y ÷ headcount for "
                      "Y × 100"),
            **per_headcount("gov_staff", trained_only=False)),
        Indicator(
            code="cp_staff_trained", label=_("CP-responsible staff trained"),
            formula=_("distinct CP-responsible staff who completed a training course started by Y ÷ headcount "
                      "for Y × 100"),
            **per_headcount("cp_staff", trained_only=True)),
        Indicator(
            code="technical_staff_trained", label=_("Technical staff of establishments trained"),
            formula=_("distinct technical staff of establishments in POT(Y) who completed a training course "
                      "started by Y ÷ sum of technical staff over POT(Y) × 100"),
            compute=e.technical_staff_figure, from_totals=e.technical_staff_from_totals, drill_down=TECHNICAL_STAFF,
            **reached_share_of_pot),
        Indicator(
            code="establishments_assisted", label=_("Establishments given technical support"),
            formula=_("distinct establishments with an assistance record from 1 January of the plan's start "
                      "year to 31 December of Y (a count)"),
            compute=e.assistance_figure, from_totals=e.assistance_from_totals, unit=COUNT, drill_down=ASSISTANCE,
            reads=("establishments.AssistanceRecord",), named_in_report=True),
        # Targets of the national strategy that provincial records cannot compute.
        Indicator(code="doit_cp_capacity", label=_("Departments of Industry and Trade with staff able to guide CP")),
        Indicator(code="cp_unit_enterprises", label=_("Medium and large enterprises with a CP unit")),
    )


registry = Registry(builtin_indicators)
