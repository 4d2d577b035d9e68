"""Form pieces shared by the apps: number fields that read grouped input, and model forms that use them."""
import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from . import numbers
from .bilingual import mark_english_input
from .models import NEGATIVE_MESSAGE, year_validators
from .periods import NOT_A_PERIOD, PeriodError, YearRange, read_years, show_years

INVALID_NUMBER = _("Enter a number, e.g. %(example)s.")
INVALID_WHOLE_NUMBER = _("Enter a whole number, e.g. %(example)s.")
NOT_WHOLE = _("Enter a whole number without decimals, e.g. %(example)s.")
AMBIGUOUS = _("“%(value)s” can be read in two ways: write it as in %(example)s.")
TOO_SMALL = _("Enter a number of at least %(limit)s.")
TOO_LARGE = _("Enter a number of at most %(limit)s.")
MAX_DIGITS = _("Enter at most %(max)s digits.")
MAX_DECIMAL_PLACES = _("Enter at most %(max)s digits after the decimal separator.")
MAX_WHOLE_DIGITS = _("Enter at most %(max)s digits before the decimal separator.")

YEAR_VALIDATOR = year_validators[0]
MONEY_HELP = _("In VND, e.g. %(example)s.")

# Longer text is refused unread: no quantity needs more, and converting a
# million digits would keep the server busy.
MAX_TEXT_LENGTH = 40


def _limit_text(message, limit):
    if limit == 0 and message is TOO_SMALL:
        return str(NEGATIVE_MESSAGE)
    return str(message) % {"limit": numbers.grouped(limit)}


# The limit is grouped when the message is shown, in the language of that moment.
_limit_message = lazy(_limit_text, str)


class GroupedNumberInput(forms.TextInput):
    """A text box showing a stored number grouped in the active language; typed text is shown as typed.

    Not <input type=number>: the browser would refuse or mangle "350.000.000".
    """

    def format_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return numbers.grouped(value)
        return super().format_value(value)


class GroupedNumberMixin:
    """Reads "350.000.000" and "350,000,000" alike (kontum_cp.numbers; the active
    language settles "1,100") and shows a stored value grouped the same way.
    """

    widget = GroupedNumberInput
    integer = False
    inputmode = "decimal"
    example = Decimal("1250.5")
    default_error_messages = {"invalid": INVALID_NUMBER, "ambiguous": AMBIGUOUS, "not_whole": NOT_WHOLE}

    def __init__(self, *, error_messages=None, **kwargs):
        super().__init__(**kwargs)
        for code, limit, message in (("min_value", self.min_value, TOO_SMALL),
                                     ("max_value", self.max_value, TOO_LARGE)):
            if limit is not None:
                self.error_messages[code] = _limit_message(message, limit)
        self.error_messages.update(error_messages or {})

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "inputmode" not in widget.attrs:
            attrs["inputmode"] = self.inputmode
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        typed = isinstance(value, str)
        # A number given by code (not typed) is written by str() with a decimal dot.
        text = value.strip() if typed else str(value)
        if not text:
            return None
        if len(text) > MAX_TEXT_LENGTH:
            raise self._error("invalid", text)
        convention = numbers.active_convention() if typed else numbers.DOT
        try:
            number = numbers.typed_value(text, convention, integer=self.integer)
        except numbers.NumberError as exc:
            raise self._error(exc.code, text) from exc
        return number if self.integer else numbers.trimmed(number)

    def _error(self, code, text):
        params = {"example": numbers.grouped(self.example), "value": text}
        return ValidationError(self.error_messages[code], code=code, params=params)


class GroupedIntegerField(GroupedNumberMixin, forms.IntegerField):
    """A whole number: "350.000.000" in Vietnamese, "350,000,000" in English; decimals are refused."""

    integer = True
    inputmode = "numeric"
    example = 12500
    default_error_messages = {"invalid": INVALID_WHOLE_NUMBER}


class GroupedDecimalField(GroupedNumberMixin, forms.DecimalField):
    """A decimal: "1.100,5" in Vietnamese, "1,100.5" in English; extra decimals are refused, never rounded."""

    default_error_messages = {
        "max_digits": MAX_DIGITS, "max_decimal_places": MAX_DECIMAL_PLACES, "max_whole_digits": MAX_WHOLE_DIGITS,
    }


def money_help():
    """Help text of a VND box: the unit and an example grouped in the active language."""
    return MONEY_HELP % {"example": numbers.grouped(350_000_000)}


def is_quantity_field(db_field):
    """An integer or decimal model field holding a quantity; years, versions, keys and choices stay plain."""
    if not isinstance(db_field, (models.IntegerField, models.DecimalField)):
        return False
    if db_field.primary_key or db_field.choices:
        return False
    if any(v is YEAR_VALIDATOR for v in db_field._validators):  # a year by its validators ("year_latest")
        return False
    return not (db_field.name == "version" or db_field.name.endswith("year"))


def _model_limits(db_field):
    """min_value/max_value from the model field's validators: the form refuses first, with a grouped limit."""
    lows = [v.limit_value for v in db_field.validators
            if isinstance(v, MinValueValidator) and not callable(v.limit_value)]
    highs = [v.limit_value for v in db_field.validators
             if isinstance(v, MaxValueValidator) and not callable(v.limit_value)]
    limits = {}
    if lows:
        limits["min_value"] = max(lows)
    if highs:
        limits["max_value"] = min(highs)
    return limits


def number_formfield(db_field, **kwargs):
    """The formfield_callback of the portal's model forms and of its admin: quantities get grouped fields."""
    if is_quantity_field(db_field):
        form_class = GroupedDecimalField if isinstance(db_field, models.DecimalField) else GroupedIntegerField
        kwargs = {"form_class": form_class, **_model_limits(db_field), **kwargs}
    return db_field.formfield(**kwargs)


class PortalModelForm(forms.ModelForm):
    """A model form whose quantity fields read and show grouped numbers (number_formfield).

    A subclass's Meta gets the callback unless it names its own. __init_subclass__
    runs inside type.__new__, before ModelFormMetaclass reads Meta and builds the fields.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(number_formfield)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            mark_english_input(name, field)

    def refuse_clash(self, message, **values):
        """Refuse with `message` when another record of the form's model has these field values (a unique
        constraint of the model, shown next to the field instead of as an error on saving)."""
        clash = self._meta.model.objects.filter(**values)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(message)


MISSING_VERSION = _("This form was sent without the version of the record it was opened with, so it "
                    "cannot be saved safely. Open the record again and repeat the change.")
MISSING_VERSION_CODE = "missing_version"


def version_refused(form):
    """True when a bound form was refused for a missing or malformed version (answered 400, not saved)."""
    return form.is_bound and any(error.code == MISSING_VERSION_CODE
                                 for error in form.errors.as_data().get("__all__", []))


def version_error_to_top(form):
    """The hidden version field's error, said at the top of the form (from a form's `clean()`)."""
    if "version" in form._errors:
        del form._errors["version"]
        form.add_error(None, ValidationError(MISSING_VERSION, code=MISSING_VERSION_CODE))


class VersionedModelForm(PortalModelForm):
    """A model form that carries the version its record had when it was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_version(self):
        """An existing record's form must say which version it was opened with: a form sent without
        it (or with something else) is refused, never taken as the current version (locking fails closed)."""
        value = self.cleaned_data.get("version")
        if self.instance.pk and value is None:
            raise forms.ValidationError(MISSING_VERSION, code=MISSING_VERSION_CODE)
        return value

    def clean(self):
        cleaned = super().clean()
        version_error_to_top(self)
        return cleaned

    def expected_version(self):
        """The version the form was opened with (None for a new record)."""
        return self.cleaned_data.get("version")

    def model_data(self):
        """Cleaned values of the model's fields (what a service writes)."""
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}


# --- Years and dates known only roughly (kontum_cp.periods) ----------------------------------------------

YEARS_HELP = _("A year (2017) or, when it is known only roughly, a range: 2016–2018, “by 2018” (≤ 2018), "
               "“from 2016”.")
DATE_OR_YEARS_HELP = _("A date (15/06/2018), a year (2018) or, when it is known only roughly, a range of years: "
                       "2016–2018, “by 2018” (≤ 2018), “from 2016”.")
NOT_A_DATE_OR_PERIOD = _("Write a date (15/06/2018), a year (2018), a range (2016–2018), “by 2018” or “from 2016”.")
PERIOD_MAX_LENGTH = 40  # longer text is no year: refused unread
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def _period_text(text, message):
    if len(text) > PERIOD_MAX_LENGTH:
        raise ValidationError(message, code="period")
    return text


class YearRangeField(forms.CharField):
    """One box for a year that may be known only roughly: "2017", "2016–2018", "by 2018" / "≤ 2018" /
    "đến 2018", "from 2016" / "từ 2016". Cleans to a `YearRange` (both ends open when left empty); shows a
    `YearRange` back the same way (`show_years`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", YEARS_HELP)
        super().__init__(**kwargs)
        self.widget.attrs.update(maxlength=str(PERIOD_MAX_LENGTH), placeholder="2016–2018")

    def prepare_value(self, value):
        return show_years(value) if isinstance(value, YearRange) else value

    def to_python(self, value):
        text = _period_text(super().to_python(value), NOT_A_PERIOD)
        try:
            return read_years(text)
        except PeriodError as exc:
            raise ValidationError(exc.message, code="period") from None

    def validate(self, value):
        if self.required and value.unknown:
            raise ValidationError(self.error_messages["required"], code="required")


class DateOrYearsField(YearRangeField):
    """One box for a date known exactly ("15/06/2018") or only as a year or a range of years (as
    `YearRangeField`). Cleans to a `datetime.date` or a `YearRange`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DATE_OR_YEARS_HELP)
        super().__init__(**kwargs)
        self.widget.attrs["placeholder"] = "dd/mm/yyyy"

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return super().prepare_value(value)

    def to_python(self, value):
        text = _period_text(forms.CharField.to_python(self, value), NOT_A_DATE_OR_PERIOD)
        try:
            return read_years(text)
        except PeriodError as exc:
            period_error = exc
        for fmt in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text.strip(), fmt).date()
            except ValueError:
                continue
            try:
                YearRange.exactly(day.year)
            except PeriodError as exc:
                raise ValidationError(exc.message, code="period") from None
            return day
        # A year out of range or a reversed range says so; anything else gets the forms it may take.
        message = NOT_A_DATE_OR_PERIOD if period_error.message is NOT_A_PERIOD else period_error.message
        raise ValidationError(message, code="date")

    def validate(self, value):
        if isinstance(value, datetime.date):
            return
        super().validate(value)
