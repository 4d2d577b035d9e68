"""Reading typed numbers (kontum_cp.numbers) and the grouped number fields of the forms and the admin."""
import importlib
from decimal import Decimal as D

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import translation

from dataio import parsing
from kontum_cp import numbers
from kontum_cp.admin_site import GroupedNumbersMixin
from kontum_cp.forms import (
    GroupedDecimalField,
    GroupedIntegerField,
    GroupedNumberMixin,
    PortalModelForm,
    is_quantity_field,
)

PROJECT_APPS = ("portal", "establishments", "indicators", "training", "dataio")


# ---- kontum_cp.numbers -----------------------------------------------------------------------

@pytest.mark.parametrize("text,convention,expected", [
    ("350.000.000", None, D("350000000")),
    ("350,000,000", None, D("350000000")),
    ("350 000 000", None, D("350000000")),
    ("350\u00a0000", None, D("350000")),
    ("1.100,5", None, D("1100.5")),
    ("1,100.5", None, D("1100.5")),
    ("1,5", None, D("1.5")),
    ("1,100", numbers.COMMA, D("1.1")),
    ("1,100", numbers.DOT, D("1100")),
    ("-12,5", None, D("-12.5")),
    ("+7", None, D("7")),
])
def test_decimal_value_reads_both_conventions(text, convention, expected):
    assert numbers.decimal_value(text, convention) == expected


@pytest.mark.parametrize("text,code", [
    ("1,100", "ambiguous"), ("abc", "invalid"), ("1e30", "invalid"), ("1.100.5,3,2", "invalid"),
    ("", "invalid"), ("NaN", "invalid"), ("--1", "invalid"),
])
def test_decimal_value_refuses_with_a_code(text, code):
    with pytest.raises(numbers.NumberError) as caught:
        numbers.decimal_value(text)
    assert caught.value.code == code


def test_a_negative_number_keeps_every_digit():
    text = "-1234567890123456789012345678901234.5"
    assert numbers.decimal_value(text) == D(text)


def test_active_convention_follows_the_language():
    with translation.override("vi"):
        assert numbers.active_convention() == numbers.COMMA
    with translation.override("en"):
        assert numbers.active_convention() == numbers.DOT


def test_a_whole_number_box_takes_no_decimal_separator():
    assert numbers.typed_value("1.000", numbers.COMMA, integer=True) == 1000
    for text in ("1,000", "1,5", "1.5"):
        with pytest.raises(numbers.NumberError) as caught:
            numbers.typed_value(text, numbers.COMMA, integer=True)
        assert caught.value.code == "not_whole"


def test_grouped_and_trimmed():
    with translation.override("vi"):
        assert numbers.grouped(350000000) == "350.000.000"
        assert numbers.grouped(D("12500.000")) == "12.500"
        assert numbers.grouped(D("1100.50")) == "1.100,5"
    with translation.override("en"):
        assert numbers.grouped(350000000) == "350,000,000"
        assert numbers.grouped(D("1100.50")) == "1,100.5"
    assert str(numbers.trimmed(D("12.500"))) == "12.5"
    assert str(numbers.trimmed(D("0.000"))) == "0"
    assert str(numbers.trimmed(D("1000"))) == "1000"


def _reference_readings(body):
    """The readings as the four patterns give them, one Decimal per convention that reads `body`."""
    readings = {}
    for conv in (numbers.DOT, numbers.COMMA):
        if numbers.PLAIN[conv].match(body) or numbers.GROUPED[conv].match(body):
            group, point = (",", ".") if conv == numbers.DOT else (".", ",")
            readings[conv] = D(body.replace(group, "").replace(point, "."))
    return readings


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789.,", max_size=14), st.text(alphabet="01٣.,\n a", max_size=8)))
def test_readings_and_convention_as_the_four_patterns_give_them(body):
    readings = numbers._readings(body)
    assert readings == _reference_readings(body)
    assert all(type(v) is D for v in readings.values())
    cell = _reference_readings(body.replace(" ", "").lstrip("+-"))  # a cell: spaces and sign left out
    assert numbers.number_convention([body]) == (next(iter(cell)) if len(cell) == 1 else None)


def test_number_convention_stops_at_a_disagreement():
    def cells():
        yield from ("1100.5", "2016", "1100,5")
        raise AssertionError("read past the disagreement")

    assert numbers.number_convention(cells()) is None
    assert numbers.number_convention(["1.100,5", "2016", "1,100", "x"]) == numbers.COMMA


def test_a_convention_given_as_a_function_is_asked_only_for_text_both_can_read():
    asked = []

    def convention():
        asked.append(True)
        return numbers.COMMA

    assert numbers.decimal_value("1100.5", convention) == D("1100.5")
    assert numbers.integer_value("2016", convention) == 2016  # the same number in both
    assert numbers.decimal_value("1.100,5", convention) == D("1100.5")  # only one convention reads it
    assert not asked
    assert numbers.decimal_value("1,100", convention) == D("1.1")
    assert numbers.integer_value("1.000", convention) == 1000
    assert len(asked) == 2


def test_dataio_keeps_its_cell_errors_and_messages():
    with translation.override("en"):
        with pytest.raises(parsing.CellError, match="^Ambiguous number"):
            parsing.decimal_value("1,100")
        with pytest.raises(parsing.CellError, match=r"^Write a whole number \(no decimals\)\.$"):
            parsing.integer_value("1,5")
    assert parsing.integer_value("1.000", parsing.DOT) == 1  # a file column still reads "1.000" as 1 there
    assert parsing.number_convention is numbers.number_convention


# ---- the form fields -------------------------------------------------------------------------

def integer_field(**kwargs):
    return GroupedIntegerField(required=False, min_value=0, max_value=9223372036854775807, **kwargs)


def decimal_field(**kwargs):
    return GroupedDecimalField(required=False, min_value=0, max_digits=12, decimal_places=2, **kwargs)


# (language, text, whole-number field reads, decimal field reads); None: refused
READINGS = [
    ("vi", "350.000.000", 350000000, D("350000000")),
    ("vi", "350000000", 350000000, D("350000000")),
    ("vi", "350 000 000", 350000000, D("350000000")),
    ("vi", "350\u00a0000\u00a0000", 350000000, D("350000000")),
    ("vi", "350,000,000", 350000000, D("350000000")),  # only one reading
    ("vi", "1,5", None, D("1.5")),
    ("vi", "1.000", 1000, D("1000")),
    ("vi", "1.5", None, D("1.5")),
    ("vi", "1,000", None, D("1")),  # Vietnamese: 1 with three decimals
    ("vi", "12,345", None, None),  # three decimals in a two-decimal box: refused, not rounded
    ("vi", "  42 ", 42, D("42")),
    ("en", "350,000,000", 350000000, D("350000000")),
    ("en", "350.000.000", 350000000, D("350000000")),
    ("en", "1.5", None, D("1.5")),
    ("en", "1,000", 1000, D("1000")),
    ("en", "1.000", None, D("1")),
    ("en", "1,100.25", None, D("1100.25")),
]


@pytest.mark.parametrize("language,text,whole,decimal", READINGS)
def test_fields_read_grouped_text(language, text, whole, decimal):
    with translation.override(language):
        for field, expected in ((integer_field(), whole), (decimal_field(), decimal)):
            if expected is None:
                with pytest.raises(ValidationError):
                    field.clean(text)
            else:
                assert field.clean(text) == expected
                assert type(field.clean(text)) is type(expected)


@pytest.mark.parametrize("make_field,language,text,message", [
    (integer_field, "en", "abc", "Enter a whole number, e.g. 12,500."),
    (integer_field, "en", "1,5", "Enter a whole number without decimals, e.g. 12,500."),
    (integer_field, "en", "350.000.000,5", "Enter a whole number without decimals, e.g. 12,500."),
    (integer_field, "en", "-1", "The value cannot be negative."),
    (integer_field, "en", "99999999999999999999", "Enter a number of at most 9,223,372,036,854,775,807."),
    (integer_field, "en", "9" * 41, "Enter a whole number, e.g. 12,500."),
    (integer_field, "vi", "abc", "12.500"),
    (integer_field, "vi", "99999999999999999999", "9.223.372.036.854.775.807"),
    (decimal_field, "en", "abc", "Enter a number, e.g. 1,250.5."),
    (decimal_field, "en", "1.2.3,4", "Enter a number, e.g. 1,250.5."),
    (decimal_field, "en", "-0.5", "The value cannot be negative."),
    (decimal_field, "en", "1.005", "Enter at most 2 digits after the decimal separator."),
    (decimal_field, "en", "99999999999", "Enter at most 10 digits before the decimal separator."),
    (decimal_field, "en", "99999999999999999999", "Enter at most 12 digits."),
    (decimal_field, "vi", "abc", "1.250,5"),
])
def test_whole_number_and_decimal_field_messages(make_field, language, text, message):
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            make_field().clean(text)
        assert message in caught.value.messages[0]


def test_a_lower_limit_other_than_zero_is_grouped():
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            GroupedIntegerField(min_value=1000).clean("999")
        assert "1.000" in caught.value.messages[0]


def test_empty_is_none_unless_required():
    with translation.override("vi"):
        assert integer_field().clean("") is None
        assert decimal_field().clean("   ") is None
        with pytest.raises(ValidationError):
            GroupedIntegerField().clean("")


def test_numbers_given_by_code_are_read_as_numbers():
    with translation.override("vi"):
        assert integer_field().clean(1250) == 1250
        assert decimal_field().clean(D("1.25")) == D("1.25")


class _Form(forms.Form):
    amount = GroupedIntegerField(required=False)
    rate = GroupedDecimalField(required=False, max_digits=10, decimal_places=3)


@pytest.mark.parametrize("language,amount,rate", [("vi", "350.000.000", "1.100,5"),
                                                  ("en", "350,000,000", "1,100.5")])
def test_stored_values_are_shown_grouped_in_the_language(language, amount, rate):
    with translation.override(language):
        html = str(_Form(initial={"amount": 350000000, "rate": D("1100.500")}))
    assert f'value="{amount}"' in html and f'value="{rate}"' in html
    assert 'type="number"' not in html
    assert 'inputmode="numeric"' in html and 'inputmode="decimal"' in html


def test_typed_text_is_shown_back_exactly_as_typed():
    with translation.override("vi"):
        form = _Form({"amount": "350.000.000,5", "rate": "1,100.5"})
        assert not form.is_valid()
        html = str(form)
    assert 'value="350.000.000,5"' in html and 'value="1,100.5"' in html


# ---- which fields are grouped ----------------------------------------------------------------

def test_years_versions_and_keys_stay_plain():
    from establishments.models import CPMeasure, Establishment
    from indicators.models import ReportedValue

    assert is_quantity_field(CPMeasure._meta.get_field("investment_vnd"))
    assert is_quantity_field(CPMeasure._meta.get_field("wastewater_capacity_m3_day"))
    assert is_quantity_field(Establishment._meta.get_field("employees"))
    for model, name in [(CPMeasure, "year"), (CPMeasure, "version"), (CPMeasure, "id"),
                        (CPMeasure, "establishment"), (Establishment, "baseline_year"),
                        (ReportedValue, "period_start_year")]:
        assert not is_quantity_field(model._meta.get_field(name)), name


def _model_forms():
    for app in PROJECT_APPS:
        module = importlib.import_module(f"{apps.get_app_config(app).name}.forms")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.ModelForm) and value._meta.model:
                yield value


def test_every_model_form_groups_its_quantities_and_never_its_years():
    seen = 0
    for form_class in _model_forms():
        assert issubclass(form_class, PortalModelForm), form_class
        model = form_class._meta.model
        for name, field in form_class.base_fields.items():
            try:
                db_field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field (version, confirmation)
                continue
            grouped = isinstance(field, GroupedNumberMixin)
            assert grouped == is_quantity_field(db_field), (form_class.__name__, name)
            seen += grouped
    assert seen >= 9  # employees, technical staff, 3 VND of a measure, capacity, amount, output, audience


def test_every_admin_of_the_project_groups_its_quantities():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        assert isinstance(model_admin, GroupedNumbersMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, GroupedNumbersMixin), inline
