"""Industrial establishments, their CP measures and the assistance they get."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kontum_cp.bilingual import InUserLanguage
from kontum_cp.periods import REVERSED, show_years
from kontum_cp.models import (
    TranslatedNameMixin,
    VersionedModel,
    code_validators,
    non_negative,
    non_negative_constraint,
    related_text,
    year_constraint,
    year_validators,
)

from . import rules

# The messages of a date known only as a range (CP measures, assistance).
EXACT_AND_RANGE = _("Give either the exact year or a range of years, not both.")
DATE_AND_RANGE = _("Give either the date (or the year) or a range of years, not both.")
ASSISTANCE_UNDATED = _("Give the date, the year or a range of years (e.g. “by 2018”).")


def rough_date_constraints(table, exact, bounds, both_message):
    """The database checks of a date known exactly (`exact`) or as a range of years (`bounds`: earliest and
    latest, either open; DOMAIN.md): each year in range, the range in order, not both an exact date and a
    range. The names read "<table>_<stem>_range_ordered" and "<table>_<stem>_exact_or_range"."""
    earliest, latest = bounds
    stem = earliest.split("_")[0]
    return [
        year_constraint(table, exact),
        year_constraint(table, earliest),
        year_constraint(table, latest),
        models.CheckConstraint(condition=rules.range_ordered_q(earliest, latest),
                               name=f"{table}_{stem}_range_ordered", violation_error_message=REVERSED),
        models.CheckConstraint(condition=rules.exact_or_range_q(exact, earliest, latest),
                               name=f"{table}_{stem}_exact_or_range", violation_error_message=both_message),
    ]


class CodeManager(models.Manager):
    """Rows identified by a stable `code` (fixtures use it as natural key)."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class PlaceManager(models.Manager):
    """Places by statistical code. A code is unique among the places valid at the same time, so a
    code names the unit valid today (open `valid_to`) or, failing that, the one that ended last."""

    def get_by_natural_key(self, code):
        place = self.filter(code=code).order_by(models.F("valid_to").desc(nulls_first=True), "-pk").first()
        if place is None:
            raise self.model.DoesNotExist(f"No place with code {code!r}")
        return place


PLACE_CODE_TAKEN = _("Another place with code %(code)s is valid at the same time (%(other)s).")
PLACE_ENDS_BEFORE_START = _("A place cannot end before it starts.")


class Place(TranslatedNameMixin, models.Model):
    """An administrative unit: the country, a province, a district or city, a commune or ward.

    Codes are the statistical codes, unique among the places valid at the same time. Units that
    ceased to exist keep their row and get `valid_to`, so historic records keep the place they had;
    `PlaceSuccession` links a unit to the units that succeeded it. Which places lie inside a territory
    (by parent and by succession) is decided in one place: `establishments.places`.
    """

    class Level(models.TextChoices):
        COUNTRY = "country", _("Country")
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune / ward")

    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.DISTRICT)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("part of"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PlaceManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            # The database holds the common case (one unit valid today per code); clean() checks
            # overlapping periods in general.
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True),
                                    name="place_code_unique_among_current"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="place_ends_after_start", violation_error_message=PLACE_ENDS_BEFORE_START,
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)

    def label(self, on=None):
        """The name, marked "(until 30/06/2025)" when the unit has ceased to exist by `on` (default today),
        "(from 01/07/2025)" when it does not exist yet: how menus, lists and pages name a place."""
        on = on or timezone.localdate()
        if self.valid_to is not None and self.valid_to < on:
            return gettext("%(name)s (until %(date)s)") % {"name": self.name, "date": f"{self.valid_to:%d/%m/%Y}"}
        if self.valid_from is not None and self.valid_from > on:
            return gettext("%(name)s (from %(date)s)") % {"name": self.name, "date": f"{self.valid_from:%d/%m/%Y}"}
        return self.name

    def valid_on(self, day):
        """Whether the unit existed on `day` (open ends are open)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": PLACE_ENDS_BEFORE_START})
        overlapping = Place.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.valid_to is not None:
            overlapping = overlapping.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if self.valid_from is not None:
            overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        other = overlapping.first()
        if other is not None:
            raise ValidationError({"code": PLACE_CODE_TAKEN % {"code": self.code, "other": other.name}})


class PlaceSuccession(models.Model):
    """`predecessor` was succeeded (wholly or in part) by `successor` on `date`, by `legal_basis`
    (e.g. Kon Tum province → Quảng Ngãi province, 01/07/2025, Resolution 202/2025/QH15)."""

    predecessor = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="successor_links",
                                    verbose_name=_("former unit"))
    successor = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="predecessor_links",
                                  verbose_name=_("succeeded by"))
    date = models.DateField(_("date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "predecessor__code"]
        verbose_name = _("succession of places")
        verbose_name_plural = _("successions of places")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="place_succession_unique"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="place_succession_not_itself"),
        ]

    def __str__(self):
        return f"{related_text(self, 'predecessor')} → {related_text(self, 'successor')} ({self.date:%d/%m/%Y})"


class Sector(TranslatedNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    history = HistoricalRecords()

    objects = CodeManager()

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


# The messages of an establishment's status and closing year.
CLOSED_BEFORE_ESTABLISHED = _("The closing year cannot be before the year the establishment was set up.")
CLOSED_NEEDS_YEAR = _("A closed establishment needs its closing year.")
ACTIVE_HAS_CLOSING_YEAR = _("An active establishment cannot have a closing year.")


class Establishment(VersionedModel):
    """An industrial establishment tracked by the programme."""

    class LegalForm(models.TextChoices):
        LLC = "llc", _("Limited liability company")
        ONE_MEMBER_LLC = "one_member_llc", _("One-member limited liability company")
        JOINT_STOCK = "joint_stock", _("Joint-stock company")
        STATE_OWNED = "state_owned", _("State-owned enterprise")
        PRIVATE = "private", _("Private enterprise")
        COOPERATIVE = "cooperative", _("Cooperative")
        HOUSEHOLD = "household", _("Household business")
        DEPENDENT_UNIT = "dependent_unit", _("Dependent unit (plant, branch)")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    code = models.CharField(
        _("code"), max_length=30, unique=True, validators=code_validators,
        help_text=_("Stable identifier used in imports and exports, e.g. KT-0001."),
        error_messages={"unique": _("An establishment with this code already exists.")},
    )
    name = models.CharField(_("name"), max_length=255)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices, blank=True)
    parent_organisation = models.CharField(_("parent organisation"), max_length=255, blank=True)
    parent_organisation_en = models.CharField(_("parent organisation (English)"), max_length=255, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="establishments",
        verbose_name=_("place"),
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="establishments",
        verbose_name=_("sector"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    main_products = models.CharField(_("main products"), max_length=255, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True, validators=non_negative)
    technical_staff = models.PositiveIntegerField(
        _("technical staff"), null=True, blank=True, validators=non_negative
    )
    cp_potential = models.BooleanField(
        _("has CP potential"), default=False,
        help_text=_("Judged by the Department able to apply cleaner production."),
    )
    cp_potential_assessed_on = models.DateField(_("CP potential assessed on"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=year_validators,
        help_text=_("Year whose specific consumption the reductions are measured against. "
                    "Empty: the year before the first implemented CP measure."),
    )
    established_year = models.PositiveSmallIntegerField(
        _("established in"), null=True, blank=True, validators=year_validators
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_year = models.PositiveSmallIntegerField(
        _("closed in"), null=True, blank=True, validators=year_validators
    )
    notes = models.TextField(_("notes"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    history = HistoricalRecords()

    objects = CodeManager()

    parent_organisation_display = InUserLanguage("parent_organisation")
    notes_display = InUserLanguage("notes")

    class Meta:
        ordering = ["code"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        constraints = [
            year_constraint("establishment", "baseline_year"),
            year_constraint("establishment", "established_year"),
            year_constraint("establishment", "closed_year"),
            non_negative_constraint("establishment", "employees"),
            non_negative_constraint("establishment", "technical_staff"),
            models.CheckConstraint(
                condition=rules.closing_year_valid_q(),
                name="establishment_closed_after_established",
                violation_error_message=CLOSED_BEFORE_ESTABLISHED,
            ),
            # clean() reports these two next to the closing-year field; the
            # database refuses them too (imports, raw saves).
            models.CheckConstraint(
                condition=~Q(status="closed", closed_year__isnull=True),
                name="establishment_closed_has_year",
                violation_error_message=CLOSED_NEEDS_YEAR,
            ),
            models.CheckConstraint(
                condition=~Q(status="active", closed_year__isnull=False),
                name="establishment_active_has_no_closing_year",
                violation_error_message=ACTIVE_HAS_CLOSING_YEAR,
            ),
        ]
        indexes = [
            models.Index(fields=["cp_potential", "status"]),
            # The establishment list sorted by name (?sort=name): the page read in index order, not sorted whole.
            models.Index(fields=["name", "code"], name="establishment_name_code_idx"),
            # POT(Y) (`rules.potential_q`) read from the index alone: the completeness page's counts and its
            # establishments without a report.
            models.Index(fields=["established_year", "closed_year", "id"], condition=Q(cp_potential=True),
                         name="establishment_potential_idx"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("establishments:detail", args=[self.code])

    def clean(self):
        errors = {}
        if self.status == self.Status.CLOSED and not self.closed_year:
            errors["closed_year"] = CLOSED_NEEDS_YEAR
        if self.status == self.Status.ACTIVE and self.closed_year:
            errors["closed_year"] = ACTIVE_HAS_CLOSING_YEAR
        if errors:
            raise ValidationError(errors)

    def is_active_in(self, year):
        """`rules.is_active`: established by `year` (unknown counts as established), not closed in or before it."""
        return rules.is_active(self.established_year, self.closed_year, year)


class MeasureCategory(models.TextChoices):
    GOOD_HOUSEKEEPING = "good_housekeeping", _("Good housekeeping")
    INPUT_CHANGE = "input_change", _("Input material change")
    PROCESS_CONTROL = "process_control", _("Better process control")
    EQUIPMENT_MODIFICATION = "equipment_modification", _("Equipment modification")
    TECHNOLOGY_CHANGE = "technology_change", _("Technology change")
    ONSITE_RECOVERY = "onsite_recovery", _("On-site recovery and reuse")
    BY_PRODUCT = "by_product", _("Production of useful by-products")
    PRODUCT_MODIFICATION = "product_modification", _("Product modification")
    END_OF_PIPE = "end_of_pipe", _("End-of-pipe treatment")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")


class CPMeasureManager(models.Manager):
    def get_by_natural_key(self, establishment_code, title):
        return self.get(establishment__code=establishment_code, title=title)


class CPMeasure(VersionedModel):
    """A cleaner-production option taken up by an establishment.

    End-of-pipe treatment (e.g. a wastewater plant) is recorded so it shows,
    but it does not count towards CP adoption.
    """

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="measures", verbose_name=_("establishment")
    )
    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(_("technique"), max_length=30, choices=MeasureCategory.choices)
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=year_validators,
        help_text=_("Year it was implemented (or planned). A measure without a year counts in no year."),
    )
    # A year known only roughly (DOMAIN.md, "Dates known only roughly"): filled only when `year` is empty.
    year_earliest = models.PositiveSmallIntegerField(
        _("earliest possible year"), null=True, blank=True, validators=year_validators,
    )
    year_latest = models.PositiveSmallIntegerField(
        _("latest possible year"), null=True, blank=True, validators=year_validators,
    )
    investment_vnd = models.BigIntegerField(_("investment (VND)"), null=True, blank=True, validators=non_negative)
    expected_savings_vnd = models.BigIntegerField(
        _("expected savings (VND/year)"), null=True, blank=True, validators=non_negative
    )
    achieved_savings_vnd = models.BigIntegerField(
        _("achieved savings (VND/year)"), null=True, blank=True, validators=non_negative
    )
    savings_note = models.CharField(
        _("savings (description)"), max_length=255, blank=True,
        help_text=_("e.g. 150 MWh of electricity saved per year"),
    )
    environmental_benefit = models.CharField(_("environmental benefit"), max_length=255, blank=True)
    wastewater_capacity_m3_day = models.DecimalField(
        _("wastewater treatment capacity (m³/day)"), max_digits=12, decimal_places=2,
        null=True, blank=True, validators=non_negative,
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    history = HistoricalRecords()

    objects = CPMeasureManager()

    description_display = InUserLanguage("description")

    class Meta:
        ordering = ["establishment__code", "year", "title"]
        verbose_name = _("CP measure")
        verbose_name_plural = _("CP measures")
        constraints = [
            *rough_date_constraints("cpmeasure", "year", ("year_earliest", "year_latest"), EXACT_AND_RANGE),
            non_negative_constraint("cpmeasure", "investment_vnd"),
            non_negative_constraint("cpmeasure", "expected_savings_vnd"),
            non_negative_constraint("cpmeasure", "achieved_savings_vnd"),
            non_negative_constraint("cpmeasure", "wastewater_capacity_m3_day"),
            models.UniqueConstraint(
                fields=["establishment", "title"], name="cpmeasure_unique_title",
                violation_error_message=_("This establishment already has a measure with this title."),
            ),
        ]
        indexes = [
            # The year menu of the measures list (`listing.distinct_desc`) and its ?year= filter.
            models.Index(fields=["year"], name="cpmeasure_year_idx"),
            # The measures that count for adoption, with the columns of their latest possible year: "applying
            # CP since" of the establishment list, its ?applying= filter and its sort read this index alone.
            models.Index(fields=["establishment", "year", "year_latest"], condition=rules.counting_q(),
                         name="cpmeasure_counting_idx"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.establishment.code, self.title)

    natural_key.dependencies = ["establishments.establishment"]

    @property
    def counts_for_adoption(self):
        """`rules.counts_for_adoption`: implemented and not end-of-pipe treatment."""
        return rules.counts_for_adoption(self.status, self.category)

    @property
    def period(self):
        """The measure's year as a `YearRange` (`rules.measure_period`)."""
        return rules.measure_period(self.year, self.year_earliest, self.year_latest)

    @property
    def year_display(self):
        """"2017", "2016–2018", "by 2018", "from 2016" or "" (in the active language)."""
        return show_years(self.period)

    @property
    def counting_note(self):
        """Whether it counts for adoption as of this year, and why not (`rules.measure_reason`)."""
        return rules.measure_reason(self.status, self.category, self.period, timezone.localdate().year)

    def clean(self):
        errors = rules.period_errors(self.year, self.year_earliest, self.year_latest, EXACT_AND_RANGE)
        if errors:
            raise ValidationError({"year": errors})
        if self.year_earliest is not None and self.year_earliest == self.year_latest:
            # An exact year fills only `year`.
            self.year, self.year_earliest, self.year_latest = self.year_earliest, None, None


class SupportGroupManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class SupportGroup(models.Model):
    """The CP Support Group of the Department (Tổ hỗ trợ SXSH)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    parent_organisation = models.CharField(_("part of"), max_length=255, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    tasks_en = models.TextField(_("tasks (English)"), blank=True)
    members = models.TextField(_("members"), blank=True)
    history = HistoricalRecords()

    objects = SupportGroupManager()

    tasks_display = InUserLanguage("tasks")

    class Meta:
        verbose_name = _("CP Support Group")
        verbose_name_plural = _("CP Support Groups")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class AssistanceKind(models.TextChoices):
    SURVEY = "survey", _("Survey")
    PROCESS_EVALUATION = "process_evaluation", _("Process evaluation")
    CP_PLAN = "cp_plan", _("CP implementation plan")
    TECHNICAL_ADVICE = "technical_advice", _("Technical advice")
    FUNDING = "funding", _("Funding")
    TRAINING = "training", _("Training")


class AssistanceRecordManager(models.Manager):
    def get_by_natural_key(self, establishment_code, year, kind, date, date_earliest=None, date_latest=None):
        return self.get(establishment__code=establishment_code, year=year, kind=kind, date=date,
                        date_earliest=date_earliest, date_latest=date_latest)


class AssistanceRecord(VersionedModel):
    """Help given to an establishment (survey, evaluation, plan, advice, funds)."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="assistance", verbose_name=_("establishment")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=year_validators,
        help_text=_("Filled from the date when a date is given; empty when the date is known only as a range."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    # A date known only roughly (DOMAIN.md, "Dates known only roughly"): a range of years, either end open,
    # filled only when `year` and `date` are empty.
    date_earliest = models.PositiveSmallIntegerField(
        _("earliest possible year"), null=True, blank=True, validators=year_validators,
    )
    date_latest = models.PositiveSmallIntegerField(
        _("latest possible year"), null=True, blank=True, validators=year_validators,
    )
    kind = models.CharField(pgettext_lazy("assistance", "kind"), max_length=30, choices=AssistanceKind.choices)
    support_group = models.ForeignKey(
        SupportGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="assistance",
        verbose_name=_("given by"),
    )
    staff_involved = models.CharField(_("staff involved"), max_length=255, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=255, blank=True)
    amount_vnd = models.BigIntegerField(_("amount (VND)"), null=True, blank=True, validators=non_negative)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    history = HistoricalRecords()

    objects = AssistanceRecordManager()

    description_display = InUserLanguage("description")

    class Meta:
        ordering = ["-year", "-date", "establishment__code"]
        verbose_name = _("assistance record")
        verbose_name_plural = _("assistance records")
        constraints = [
            *rough_date_constraints("assistancerecord", "year", ("date_earliest", "date_latest"), DATE_AND_RANGE),
            models.CheckConstraint(
                condition=rules.dated_q("year", "date_earliest", "date_latest"),
                name="assistancerecord_dated", violation_error_message=ASSISTANCE_UNDATED,
            ),
            non_negative_constraint("assistancerecord", "amount_vnd"),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {related_text(self, 'establishment', 'name')} ({self.date_display})"

    def natural_key(self):
        key = (self.establishment.code, self.year, self.kind, self.date)
        if self.date_earliest is None and self.date_latest is None:
            return key
        return key + (self.date_earliest, self.date_latest)

    @property
    def period(self):
        """The record's date as a `YearRange` of years (`rules.assistance_period`)."""
        return rules.assistance_period(self.year, self.date_earliest, self.date_latest)

    @property
    def date_display(self):
        """The date when known, else the year or the range ("2017", "by 2018")."""
        return show_years(self.period)

    natural_key.dependencies = ["establishments.establishment"]

    def _year_from_date(self):
        if self.date and self.year is None:
            self.year = self.date.year

    def clean_fields(self, exclude=None):
        self._year_from_date()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self._year_from_date()
        super().save(*args, **kwargs)

    def clean(self):
        if self.date:
            if self.year and self.year != self.date.year:
                raise ValidationError({"year": _("The year must be the year of the date.")})
            self.year = self.date.year
        errors = rules.period_errors(self.year, self.date_earliest, self.date_latest, DATE_AND_RANGE)
        if not errors and self.year is None and self.date_earliest is None and self.date_latest is None:
            errors = [ASSISTANCE_UNDATED]
        if errors:
            raise ValidationError({"date": errors})
        if self.date_earliest is not None and self.date_earliest == self.date_latest:
            # A year known exactly fills only `year`.
            self.year, self.date_earliest, self.date_latest = self.date_earliest, None, None


class RegistryCoverageManager(models.Manager):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class RegistryCoverage(models.Model):
    """Whether the registry of establishments is confirmed complete for a year (DOMAIN.md, "Registry coverage").

    POT(Y) counts the establishments in the registry; a percentage over POT(Y) is judged against its target
    only for a year confirmed complete (`rules.registry_confirmed`). Administrators confirm it.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=year_validators)
    complete = models.BooleanField(
        _("registry complete"), default=False,
        help_text=_("The registry holds every establishment of the province with CP potential active in the "
                    "year."),
    )
    note = models.TextField(_("note"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RegistryCoverageManager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("registry coverage")
        verbose_name_plural = _("registry coverage")
        constraints = [year_constraint("registrycoverage", "year", null=False)]

    def __str__(self):
        if self.complete:
            return _("Registry of %(year)s: confirmed complete") % {"year": self.year}
        return _("Registry of %(year)s: not confirmed complete") % {"year": self.year}

    def natural_key(self):
        return (self.year,)

    def set_confirmation(self, user, when):
        """Called when `complete` changes: who confirmed the registry complete and when; none once it is
        no longer confirmed (the history keeps the earlier confirmation)."""
        confirmed = self.complete
        self.confirmed_by = user if confirmed and user is not None and user.is_authenticated else None
        self.confirmed_at = when if confirmed else None


def logo_choices():
    """The logos an administrator may choose for the Department: image files under `static/img/logos/`.

    Only files shipped with the portal (and served by it) can be chosen, so a logo is never an upload or an
    outside address. No file: the header shows the programme's "SXSH" mark.
    """
    folder = settings.BASE_DIR / "static" / "img" / "logos"
    files = sorted(p.name for p in folder.glob("*") if p.suffix.lower() in (".svg", ".png")) \
        if folder.is_dir() else []
    return [("", _("No logo (the SXSH mark)"))] + [(f"img/logos/{name}", name) for name in files]


class Department(models.Model):
    """The organisation that runs the portal, as it is named from a date on (DOMAIN.md, *Places*).

    The rows follow one another: each holds from `valid_from` until the next row's `valid_from`; the
    row without `valid_from` holds before every dated one. Header, page titles, the sign-in page and
    the printed report's heading and date line take their words from the row valid on a day
    (`establishments.departments.current_department`).
    """

    name = models.CharField(_("name (Vietnamese)"), max_length=200,
                            help_text=_("As in the header, e.g. Sở Công Thương tỉnh Quảng Ngãi."))
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name (Vietnamese)"), max_length=80,
                                  help_text=_("Shown after each page's title, e.g. Sở Công Thương Quảng Ngãi."))
    short_name_en = models.CharField(_("short name (English)"), max_length=80, blank=True)
    province = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    governing_body = models.CharField(
        _("governing body (Vietnamese)"), max_length=120,
        help_text=_("First line of a report's heading, e.g. UBND TỈNH QUẢNG NGÃI."))
    governing_body_en = models.CharField(_("governing body (English)"), max_length=120, blank=True)
    issuer = models.CharField(
        _("issuing authority (Vietnamese)"), max_length=120,
        help_text=_("Second line of a report's heading, the issuing body, e.g. SỞ CÔNG THƯƠNG."))
    issuer_en = models.CharField(_("issuing authority (English)"), max_length=120, blank=True)
    date_place = models.CharField(
        _("place in dates (Vietnamese)"), max_length=80,
        help_text=_("The place before the date of a signed document: “Quảng Ngãi, ngày … tháng … năm …”."))
    date_place_en = models.CharField(_("place in dates (English)"), max_length=80, blank=True)
    logo = models.CharField(_("logo"), max_length=120, blank=True, choices=logo_choices)
    valid_from = models.DateField(
        _("valid from"), null=True, blank=True, unique=True,
        help_text=_("Empty: before every dated row."),
        error_messages={"unique": _("Another Department record starts on this date.")},
    )
    history = HistoricalRecords()

    name_display = InUserLanguage("name")
    short_name_display = InUserLanguage("short_name")
    governing_body_display = InUserLanguage("governing_body")
    issuer_display = InUserLanguage("issuer")
    date_place_display = InUserLanguage("date_place")

    class Meta:
        ordering = [models.F("valid_from").asc(nulls_first=True)]
        verbose_name = _("Department")
        verbose_name_plural = _("Department (names by date)")

    def __str__(self):
        return self.name

    def clean(self):
        if self.valid_from is None:
            undated = Department.objects.filter(valid_from__isnull=True).exclude(pk=self.pk)
            if undated.exists():
                raise ValidationError({"valid_from": _("Only one Department record may be without a date.")})


class UserArea(models.Model):
    """The places a user's work is limited to (DOMAIN.md, *Places*; issue 11, *Users with an area*).

    A data-entry user with an area reads everything but adds and changes only the establishments that lie
    inside one of its places by lineage, and their reports, measures, assistance and attendance
    (`establishments.areas`). With `read_only_area`, the user (a manager, say) also reads only the
    establishments of the area in the establishment pages and lists. Administrators are never limited.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_area",
                                verbose_name=_("user"))
    places = models.ManyToManyField(Place, related_name="+", verbose_name=_("places"),
                                    help_text=_("The area: these places and every place inside them."))
    read_only_area = models.BooleanField(
        _("reads only inside the area"), default=False,
        help_text=_("Also limit the establishment pages and lists this user reads to the area."))
    history = HistoricalRecords()  # who changed the option; the admin log keeps changes to the places

    class Meta:
        verbose_name = _("user's area")
        verbose_name_plural = _("users' areas")

    def __str__(self):
        return str(self.user)
