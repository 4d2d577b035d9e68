"""Dissemination and training events, the people who attend, staff headcounts."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kontum_cp.models import (
    VersionedModel,
    code_validators,
    date_range_q,
    non_negative,
    non_negative_constraint,
    related_text,
    year_constraint,
    year_validators,
)

END_BEFORE_START = _("The end date cannot be before the start date.")
DUPLICATE_ATTENDANCE = _("This person is already recorded at this event.")
YEAR_RANGE_DATE = _("The date must be between 1990 and 2100.")


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Dissemination workshop")
    TRAINING_COURSE = "training_course", _("Training course")
    MEDIA = "media", _("Media campaign")


class StaffCategory(models.TextChoices):
    GOV_STAFF = "gov_staff", _("Government staff")
    CP_STAFF = "cp_staff", _("CP-responsible staff")
    TECHNICAL_STAFF = "technical_staff", _("Establishment technical staff")
    MANAGER = "manager", _("Establishment manager")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "unspecified", _("Unspecified")


class EventManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Event(VersionedModel):
    """A workshop, training course or media campaign."""

    code = models.CharField(
        _("code"), max_length=30, unique=True, validators=code_validators,
        error_messages={"unique": _("An event with this code already exists.")},
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("venue"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    topic = models.TextField(_("topic"), blank=True)
    audience_reached = models.PositiveIntegerField(
        _("audience reached"), null=True, blank=True, validators=non_negative,
        help_text=_("For media campaigns: readers or viewers reached (no attendance list)."),
    )
    history = HistoricalRecords()

    objects = EventManager()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=date_range_q("start_date"),
                name="event_start_in_range",
                violation_error_message=YEAR_RANGE_DATE,
            ),
            non_negative_constraint("event", "audience_reached"),
        ]
        indexes = [models.Index(fields=["start_date"])]

    def __str__(self):
        return f"{self.code} — {self.title}"

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return reverse("training:event_detail", args=[self.code])


class Person(VersionedModel):
    """Somebody who attends events; identified in imports by name and organisation."""

    name = models.CharField(_("full name"), max_length=255)
    category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    establishment = models.ForeignKey(
        "establishments.Establishment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="people", verbose_name=_("works at establishment"),
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["name", "organisation"])]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def get_absolute_url(self):
        return reverse("training:person_detail", args=[self.pk])

    def clean(self):
        if self.category == StaffCategory.TECHNICAL_STAFF and not self.establishment_id:
            raise ValidationError(
                {"establishment": _("Technical staff of an establishment need the establishment they work at.")}
            )


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("event"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person"))
    completed = models.BooleanField(
        _("completed"), default=True, help_text=_("Attended the whole course and passed (for training courses).")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "person__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="attendance_once_per_event",
                violation_error_message=DUPLICATE_ATTENDANCE,
            )
        ]

    def __str__(self):
        return f"{related_text(self, 'person')} @ {related_text(self, 'event', 'code')}"


class StaffHeadcount(models.Model):
    """How many staff of a category there are in a year (denominators)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    category = models.CharField(_("staff category"), max_length=20, choices=StaffCategory.choices)
    headcount = models.PositiveIntegerField(_("headcount"), validators=non_negative)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "category"]
        verbose_name = _("staff headcount")
        verbose_name_plural = _("staff headcounts")
        constraints = [
            year_constraint("staffheadcount", "year", null=False),
            non_negative_constraint("staffheadcount", "headcount"),
            models.UniqueConstraint(
                fields=["year", "category"], name="headcount_one_per_year_category",
                violation_error_message=_("A headcount for this year and category already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()}: {self.headcount}"
