"""Shared model pieces: year validation, optimistic locking, closed years."""
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MIN_YEAR = 1990
MAX_YEAR = 2100
YEAR_MESSAGE = _("The year must be between 1990 and 2100.")
NEGATIVE_MESSAGE = _("The value cannot be negative.")

year_validators = [
    MinValueValidator(MIN_YEAR, message=YEAR_MESSAGE),
    MaxValueValidator(MAX_YEAR, message=YEAR_MESSAGE),
]
non_negative = [MinValueValidator(0, message=NEGATIVE_MESSAGE)]


def year_in_range(year):
    """A year the portal stores: MIN_YEAR..MAX_YEAR, both included (the validators and checks above)."""
    return MIN_YEAR <= year <= MAX_YEAR


def related_text(instance, field_name, attribute=None):
    """For __str__: the row a foreign key points at (or one of its attributes) as text; "#<key>" when that
    row is gone.

    A historical record (simple_history) keeps the key of a row that may have been deleted since, and the
    admin's history pages print it: a __str__ that follows a relation must not fail there.
    """
    try:
        related = getattr(instance, field_name)
    except ObjectDoesNotExist:
        return f"#{getattr(instance, instance._meta.get_field(field_name).attname)}"
    return str(related if attribute is None else getattr(related, attribute))


def date_range_q(field):
    """A database check that the date `field` lies in a year the portal stores."""
    return Q(**{f"{field}__gte": f"{MIN_YEAR}-01-01", f"{field}__lte": f"{MAX_YEAR}-12-31"})

CODE_MESSAGE = _(
    "Use letters, digits, dots, hyphens and underscores only, starting with a letter or a digit "
    "(no spaces or slashes: the code is part of web addresses)."
)
# Stable codes (KT-0001, TH-2018-01, DEMO-E00001) appear in URLs: a slash would break them.
code_validators = [RegexValidator(r"^\w[\w.-]*\Z", message=CODE_MESSAGE)]


def year_constraint(model_name, field, null=True):
    """A database check that `field` lies in MIN_YEAR..MAX_YEAR (or is NULL)."""
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if null:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=f"{model_name}_{field}_in_range",
        violation_error_message=YEAR_MESSAGE,
    )


def non_negative_constraint(model_name, field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
        name=f"{model_name}_{field}_non_negative",
        violation_error_message=NEGATIVE_MESSAGE,
    )


class VersionedModel(models.Model):
    """A row with a version number for optimistic locking.

    Forms carry the version they were opened with; services refuse a save
    when the row's version has moved on (somebody else saved in between).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedNameMixin:
    """Lookup rows keep a Vietnamese and an English name; show the active one."""

    @property
    def name(self):
        from django.utils.translation import get_language

        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi


class ClosedYear(models.Model):
    """A year whose records can no longer be added, changed or deleted (`kontum_cp.closing`).

    One row per year that was ever closed: `closed` says whether it is closed now. Closing and reopening
    each save the row with who, when and why; its history keeps every transition.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=year_validators)
    closed = models.BooleanField(_("closed"), default=True)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("closed year")
        verbose_name_plural = _("closed years")
        constraints = [year_constraint("closedyear", "year", null=False)]

    def __str__(self):
        return str(self.year)
