"""Reading a number typed by a person: the one home for it.

Vietnamese writes "1.100,5" and English "1,100.5"; both are read wherever a
number is typed (form fields, spreadsheet cells). Text that only one
convention can read has one value whatever the language ("350.000.000",
"1,5"). Text that both can read ("1,100": 1.1 or 1100) is settled by a
tie-breaker, the convention of the active language in a form or the one a
file's other cells show, and refused without it. Nothing is ever cut short:
text that fits no reading is refused with a message.
"""
import re
from decimal import Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

DOT, COMMA = "dot", "comma"  # the decimal separator of a convention
NUMBER = re.compile(r"^[+-]?[\d.,]+$")
GROUPED = {DOT: re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$"), COMMA: re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")}
PLAIN = {DOT: re.compile(r"^\d+(\.\d+)?$"), COMMA: re.compile(r"^\d+(,\d+)?$")}
# What each convention reads, plain or grouped, in one pattern: a number cell is matched twice, not four times.
READS = {conv: re.compile("^(?:%s|%s)$" % (PLAIN[conv].pattern.strip("^$"), GROUPED[conv].pattern.strip("^$")))
         for conv in (DOT, COMMA)}
SPACES = (" ", "\u00a0")  # a space or a non-breaking space may group digits

NOT_A_NUMBER = _("Not a number.")
TWO_SEPARATORS = _("Not a number: use one decimal separator, e.g. 1100,5 or 1100.5.")
AMBIGUOUS = _("Ambiguous number: write 1100 or 1,1 (or 1.1) without thousands separators.")
NOT_WHOLE = _("Write a whole number (no decimals).")


class NumberError(ValueError):
    """Text that cannot be read as a number; `message` is for the user, `code` says why."""

    def __init__(self, message, code):
        super().__init__(message)
        self.message = message
        self.code = code  # "invalid", "ambiguous" or "not_whole"


def active_convention():
    """The convention of the active language: COMMA in Vietnamese (1.100,5), DOT in English (1,100.5)."""
    return COMMA if get_format("DECIMAL_SEPARATOR") == "," else DOT


def _without_spaces(text):
    for space in SPACES:
        text = text.replace(space, "")
    return text


def _conventions(body):
    """The conventions that can read `body` (no sign, no spaces)."""
    return [conv for conv in (DOT, COMMA) if READS[conv].match(body)]


def _readings(body):
    """{convention: Decimal} for each convention that can read `body` (no sign, no spaces)."""
    conventions = _conventions(body)
    if len(conventions) == 2 and "." not in body and "," not in body:  # digits only: one number in both
        value = Decimal(body)
        return {DOT: value, COMMA: value}
    readings = {}
    for conv in conventions:
        group, point = (",", ".") if conv == DOT else (".", ",")
        readings[conv] = Decimal(body.replace(group, "").replace(point, "."))
    return readings


def number_convention(cells):
    """The convention the number cells settle on, or None when they do not (or disagree)."""
    seen = set()
    for cell in cells:
        conventions = _conventions(_without_spaces(cell).lstrip("+-"))
        if len(conventions) == 1:
            seen.add(conventions[0])
            if len(seen) == 2:
                return None
    return seen.pop() if len(seen) == 1 else None


def _whole_reading(body, readings, convention):
    """The readings left for a whole-number box: "1.100" can only be 1100 there.

    "1.000" is whole in both conventions: the tie-breaker decides, else the
    reading in which the separators group thousands.
    """
    whole = {conv: v for conv, v in readings.items() if v == v.to_integral_value()}
    if len(whole) == 1:
        return set(whole.values())
    if convention in whole:
        return {whole[convention]}
    grouped = [v for conv, v in whole.items() if GROUPED[conv].match(body)]
    return {grouped[0]} if grouped else set(readings.values())


def _one_value(body, convention, integer):
    readings = _readings(body)
    if not readings:
        raise NumberError(TWO_SEPARATORS, "invalid")
    values = set(readings.values())
    if len(values) > 1 and callable(convention):
        convention = convention()
    if len(values) > 1 and integer:
        values = _whole_reading(body, readings, convention)
    if len(values) > 1:
        if convention not in readings:
            raise NumberError(AMBIGUOUS, "ambiguous")
        values = {readings[convention]}
    return values.pop()


def decimal_value(text, convention=None, integer=False):
    """The number `text` stands for: a Decimal, or an int when `integer`; NumberError otherwise.

    `convention` (DOT or COMMA) settles text that both conventions can read; it may be a function that gives
    it, called only for such text (a file's convention, settled from its cells only when a cell needs it).
    """
    body = _without_spaces(text)
    if not NUMBER.match(body):
        raise NumberError(NOT_A_NUMBER, "invalid")
    value = _one_value(body.lstrip("+-"), convention, integer)
    if body.startswith("-"):
        value = value.copy_negate()  # exact, unlike unary minus (which rounds to 28 digits)
    if integer:
        if value != value.to_integral_value():
            raise NumberError(NOT_WHOLE, "not_whole")
        return int(value)
    return value


def integer_value(text, convention=None):
    return decimal_value(text, convention, integer=True)


def typed_value(text, convention, integer=False):
    """A number typed into a form box; `convention` is the active language's.

    Unlike a spreadsheet column, a whole-number box takes no decimal separator
    at all: "1,000" in Vietnamese is 1 with three decimals and most likely
    meant 1000, so it is refused rather than read either way.
    """
    value = decimal_value(text, convention)
    if not integer:
        return value
    if value.as_tuple().exponent < 0:
        raise NumberError(NOT_WHOLE, "not_whole")
    return int(value)


def trimmed(value):
    """A Decimal without zeros after its last decimal digit (12.500 -> 12.5, 1000.00 -> 1000), exactly."""
    if value.is_zero():
        return Decimal(0)
    sign, digits, exponent = value.as_tuple()
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return Decimal((sign, digits, exponent))


def grouped(value):
    """`value` with the active language's separators and all its decimals: 350.000.000 or 1.100,5 in Vietnamese."""
    if isinstance(value, Decimal):
        value = trimmed(value)
    return number_format(value, use_l10n=True, force_grouping=True)
