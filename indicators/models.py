"""Plans, targets, resource types, annual production reports, reported values."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kontum_cp.bilingual import InUserLanguage, reads_english
from kontum_cp.models import (
    TranslatedNameMixin,
    VersionedModel,
    non_negative,
    non_negative_constraint,
    related_text,
    year_constraint,
    year_validators,
)

from .registry import registry

LOW_ABOVE_HIGH = _("The low bound cannot be greater than the high bound.")
END_BEFORE_START = _("The end year cannot be before the start year.")
OUTPUT_NOT_POSITIVE = _("The output must be greater than zero.")
DUPLICATE_REPORT = _("This establishment already has a report for this year.")
DUPLICATE_LINE = _("This resource already has a line in this report.")


def indicator_choices():
    """(code, label) of every registered indicator (`indicators.registry`): adding one needs no migration."""
    return registry.choices()


class PlanManager(models.Manager):
    def get_by_natural_key(self, decision_number):
        return self.get(decision_number=decision_number)


class ActionPlan(models.Model):
    """A plan (provincial action plan, national strategy) with its targets."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("In force")
        COMPLETED = "completed", _("Completed")
        SUPERSEDED = "superseded", _("Superseded")

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")

    title = models.CharField(_("title"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=50, unique=True)
    date_issued = models.DateField(_("date issued"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.PROVINCIAL)
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=year_validators)
    end_year = models.PositiveSmallIntegerField(_("end year"), validators=year_validators)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    territory = models.ForeignKey(
        "establishments.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="plans",
        verbose_name=_("territory"),
        help_text=_("The place the plan covers, as it was when the plan was made. The plan counts the "
                    "establishments whose place lies inside it, under former or later units alike. "
                    "Empty: every establishment in the database."),
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    history = HistoricalRecords()

    objects = PlanManager()

    title_display = InUserLanguage("title")
    notes_display = InUserLanguage("notes")

    class Meta:
        ordering = ["-level", "-start_year"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            year_constraint("actionplan", "start_year", null=False),
            year_constraint("actionplan", "end_year", null=False),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="actionplan_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} — {self.title}"

    def natural_key(self):
        return (self.decision_number,)


class TargetManager(models.Manager):
    def get_by_natural_key(self, decision_number, indicator_code, deadline_year):
        return self.get(
            plan__decision_number=decision_number, indicator_code=indicator_code, deadline_year=deadline_year
        )


class Target(models.Model):
    """What a plan wants an indicator to reach by a deadline (a bound or a range)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    indicator_code = models.CharField(_("indicator"), max_length=40, choices=indicator_choices)
    description = models.CharField(_("wording in the plan"), max_length=500, blank=True)
    description_en = models.CharField(_("wording in the plan (English)"), max_length=500, blank=True)
    low = models.DecimalField(_("low bound"), max_digits=12, decimal_places=2)
    high = models.DecimalField(_("high bound"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    deadline_year = models.PositiveSmallIntegerField(_("deadline"), validators=year_validators)
    note = models.TextField(_("note"), blank=True, help_text=_("Where the target comes from."))
    note_en = models.TextField(_("note (English)"), blank=True)
    history = HistoricalRecords()

    objects = TargetManager()

    description_display = InUserLanguage("description")
    note_display = InUserLanguage("note")

    class Meta:
        ordering = ["plan", "deadline_year", "indicator_code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            year_constraint("target", "deadline_year", null=False),
            models.CheckConstraint(
                condition=Q(high__isnull=True) | Q(low__lte=F("high")),
                name="target_low_not_above_high",
                violation_error_message=LOW_ABOVE_HIGH,
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator_code", "deadline_year"], name="target_unique_per_deadline",
                violation_error_message=_("This plan already has a target for this indicator and deadline."),
            ),
        ]

    def __str__(self):
        return f"{self.get_indicator_code_display()}: {self.bounds_display} ({self.deadline_year})"

    def natural_key(self):
        return (self.plan.decision_number, self.indicator_code, self.deadline_year)

    natural_key.dependencies = ["indicators.actionplan"]

    @property
    def bounds_display(self):
        def fmt(v):
            return f"{v.normalize():f}"

        if self.high is not None and self.high != self.low:
            return f"{fmt(self.low)}–{fmt(self.high)} {self.unit}".strip()
        return f"≥ {fmt(self.low)} {self.unit}".strip()


class ResourceCategory(models.TextChoices):
    ENERGY = "energy", _("Energy")
    MATERIAL = "material", _("Material")
    WATER = "water", _("Water")


# The common unit each category is converted to before it is summed.
CATEGORY_UNITS = {"energy": "GJ", "material": "t", "water": "m³"}


class ResourceType(TranslatedNameMixin, models.Model):
    """A resource reported in annual reports, with its factor to the common unit."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=ResourceCategory.choices)
    unit = models.CharField(_("unit"), max_length=20)
    factor = models.DecimalField(
        _("factor to the common unit"), max_digits=14, decimal_places=6, validators=non_negative,
        help_text=_("GJ per unit for energy, t per unit for material, m³ per unit for water."),
    )
    factor_source = models.CharField(_("source of the factor"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Manager(models.Manager):
        def get_by_natural_key(self, code):
            return self.get(code=code)

    objects = Manager()

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("resource type")
        verbose_name_plural = _("resource types")
        constraints = [non_negative_constraint("resourcetype", "factor")]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    def natural_key(self):
        return (self.code,)

    @property
    def common_unit(self):
        return CATEGORY_UNITS[self.category]


class ReportState(models.TextChoices):
    """Where an annual report stands (docs/architecture.md, "Report states and closed years")."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")

APPROVE_PERMISSION = "indicators.approve_annualreport"


class AnnualReportManager(models.Manager):
    def get_by_natural_key(self, establishment_code, year):
        return self.get(establishment__code=establishment_code, year=year)


class AnnualReport(VersionedModel):
    """One establishment's production and resource use in one year."""

    establishment = models.ForeignKey(
        "establishments.Establishment", on_delete=models.PROTECT, related_name="reports",
        verbose_name=_("establishment"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    product = models.CharField(_("product"), max_length=255)
    product_unit = models.CharField(_("product unit"), max_length=30, help_text=_("e.g. t, m³, pieces"))
    output = models.DecimalField(_("output"), max_digits=16, decimal_places=3)
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT,
                             editable=False)
    state_reason = models.TextField(_("reason for returning"), blank=True, editable=False)
    history = HistoricalRecords()

    objects = AnnualReportManager()

    class Meta:
        ordering = ["establishment__code", "year"]
        verbose_name = _("annual production report")
        verbose_name_plural = _("annual production reports")
        permissions = [("approve_annualreport", _("Can approve or return annual reports"))]
        constraints = [
            year_constraint("annualreport", "year", null=False),
            models.CheckConstraint(
                condition=Q(output__gt=0), name="annualreport_output_positive",
                violation_error_message=OUTPUT_NOT_POSITIVE,
            ),
            models.UniqueConstraint(
                fields=["establishment", "year"], name="annualreport_one_per_year",
                violation_error_message=DUPLICATE_REPORT,
            ),
        ]
        # The reports list sorts by year (newest first) and filters by year; the
        # unique (establishment, year) index cannot serve either (README, Benchmarks).
        indexes = [
            models.Index(fields=["year"], name="annualreport_year_idx"),
            # A year's reports, their establishments and states read from the index alone (no table page):
            # the completeness page's counts and its "not reported" list at 100,000 establishments.
            models.Index(fields=["year", "establishment", "state"], name="annualreport_year_est_idx"),
        ]

    def __str__(self):
        return f"{related_text(self, 'establishment', 'code')} {self.year}"

    def natural_key(self):
        return (self.establishment.code, self.year)

    natural_key.dependencies = ["establishments.establishment"]

    def clean(self):
        if self.output is not None and self.output <= 0:
            raise ValidationError({"output": OUTPUT_NOT_POSITIVE})

    @property
    def is_approved(self):
        return self.state == ReportState.APPROVED


def approved_message(report):
    return _("The annual report %(report)s is approved: it must be returned before it can be changed.") % {
        "report": str(report)}


def report_lock(report, stored, *, deleting=False):
    """An approved report is read-only: refused unless the write is the transition out of approval."""
    row = stored()
    if row is not None and row.state == ReportState.APPROVED and (deleting or report.state == ReportState.APPROVED):
        return approved_message(row)
    return None


def line_lock(line, stored, *, deleting=False):
    """The resource lines of an approved report are read-only with it."""
    report = line.report
    if report.pk is not None and report.state == ReportState.APPROVED:
        return approved_message(report)
    return None


class ResourceLine(models.Model):
    """The quantity of one resource used in the year of its report."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report"))
    resource_type = models.ForeignKey(
        ResourceType, on_delete=models.PROTECT, related_name="lines", verbose_name=_("resource")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3, validators=non_negative)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "resource_type__category", "resource_type__code"]
        verbose_name = _("resource line")
        verbose_name_plural = _("resource lines")
        constraints = [
            non_negative_constraint("resourceline", "quantity"),
            models.UniqueConstraint(
                fields=["report", "resource_type"], name="resourceline_one_per_type",
                violation_error_message=DUPLICATE_LINE,
            ),
        ]

    def __str__(self):
        return f"{related_text(self, 'resource_type', 'code')}: {self.quantity}"


class ReportedValueManager(models.Manager):
    def get_by_natural_key(self, indicator_code, year, source_document):
        return self.get(indicator_code=indicator_code, year=year, source_document=source_document)


class ReportedValue(models.Model):
    """A figure published in a document (e.g. the 2018 report), kept with its source.

    It is shown where the records cannot compute the indicator, and beside the
    computed figure where they can, under every plan whose territory covers its
    place (`establishments.places.lies_within`; a plan without a territory shows
    them all). A figure in another kind of unit than its indicator's (a number of
    enterprises beside a percentage) is shown beside it only: it never leads and
    is never judged against a target.
    """

    indicator_code = models.CharField(_("indicator"), max_length=40, choices=indicator_choices)
    place = models.ForeignKey(
        "establishments.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="reported_values",
        verbose_name=_("place"),
        help_text=_("The place the figure describes (e.g. the province). Every plan whose territory covers it "
                    "shows it, judged against that plan's own target."),
    )
    period_start_year = models.PositiveSmallIntegerField(
        _("period from"), null=True, blank=True, validators=year_validators,
        help_text=_("For a figure about a period (e.g. 2015–2017); empty for a single year."),
    )
    year = models.PositiveSmallIntegerField(_("year (as of)"), validators=year_validators)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=non_negative)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    source_document = models.CharField(_("source document"), max_length=500)
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    source_document_en = models.CharField(_("source document (English)"), max_length=500, blank=True)
    source_quote = models.TextField(_("quotation"), blank=True)
    source_quote_en = models.TextField(_("quotation (English)"), blank=True)
    history = HistoricalRecords()

    objects = ReportedValueManager()

    source_document_display = InUserLanguage("source_document")
    source_quote_display = InUserLanguage("source_quote")

    class Meta:
        ordering = ["indicator_code", "year"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            year_constraint("reportedvalue", "year", null=False),
            year_constraint("reportedvalue", "period_start_year"),
            non_negative_constraint("reportedvalue", "value"),
            models.CheckConstraint(
                condition=Q(period_start_year__isnull=True) | Q(period_start_year__lte=F("year")),
                name="reportedvalue_period_ordered",
                violation_error_message=END_BEFORE_START,
            ),
        ]

    def __str__(self):
        from kontum_cp.templatetags.portal import unit_label  # the unit's name in the user's language

        return f"{self.get_indicator_code_display()} {self.period_display}: {self.value} {unit_label(self.unit)}"

    def natural_key(self):
        return (self.indicator_code, self.year, self.source_document)

    @property
    def period_display(self):
        if self.period_start_year and self.period_start_year != self.year:
            return f"{self.period_start_year}–{self.year}"
        return str(self.year)


def reported_texts(reported):
    """(source document, quotation) of the engine's `Reported` in the user's language.

    The engine carries the Vietnamese texts (canonical); a user reading English gets the English ones
    where they are given, read from the row (one query, English pages only).
    """
    if not reads_english():
        return reported.source_document, reported.source_quote
    row = ReportedValue.objects.filter(pk=reported.id).values("source_document_en", "source_quote_en").first()
    if row is None:
        return reported.source_document, reported.source_quote
    return row["source_document_en"] or reported.source_document, row["source_quote_en"] or reported.source_quote


class Publication(models.Model):
    """The dashboard of a plan and year as it was when an administrator published it (`indicators.publications`).

    `figures` holds every figure with its numerator, denominator, status, sources and the ids of the records
    behind it, the completeness line and the names the printed report gives; nothing is read from the live
    data to show it again. `number` counts the publications of the same plan and year (1, 2, ...).
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="publications",
                             verbose_name=_("action plan"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    number = models.PositiveSmallIntegerField(_("number"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, null=True, related_name="+",
                                     verbose_name=_("published by"))
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    code_version = models.CharField(_("code version"), max_length=100, blank=True)
    figures = models.JSONField(_("figures"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "year", "number"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "number"], name="publication_unique_number"),
        ]

    def __str__(self):
        return f"{self.plan.decision_number} {self.year} #{self.number}"


class DashboardSummary(models.Model):
    """The computed figures of a plan and year for one state of the data, kept in the database
    (`indicators.dashboard_cache`): a process that starts, or a cache that was emptied, reads them instead of
    running the engine again. `key` names the plan, the year and the data fingerprint, so a summary is never
    read for other data; `value` is what the cache holds (pickled by the portal itself, read only by it)."""

    key = models.CharField(max_length=200, unique=True)
    value = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dashboard summary")
        verbose_name_plural = _("dashboard summaries")

    def __str__(self):
        return self.key
