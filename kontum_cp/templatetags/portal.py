"""Template helpers for numbers and navigation (display only, no arithmetic)."""
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kontum_cp import document_dates
from kontum_cp.navigation import nav_items
from kontum_cp.roles import has_role

register = template.Library()


def _rounded(value, decimals):
    """Round half up before formatting: number_format alone cuts the extra digits off (9.96 -> 9.9)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)


@register.simple_tag(takes_context=True)
def portal_nav(context):
    request = context.get("request")
    if request is None or not has_role(request.user):  # no menu for a user without a role (no_role.html)
        return []
    return nav_items(request.path, context.get("is_admin", False))


@register.filter
def pct(value):
    """A percentage with one decimal in the active language's format; '—' for no value."""
    if value is None or value == "":
        return "—"
    return number_format(_rounded(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True) + " %"


@register.filter
def num(value, decimals=0):
    """A number with the active language's separators; '—' for no value."""
    if value is None or value == "":
        return "—"
    return number_format(_rounded(value, int(decimals)), decimal_pos=int(decimals), use_l10n=True,
                         force_grouping=True)


@register.filter
def vnd(value):
    """Money in VND without decimals."""
    if value is None or value == "":
        return "—"
    return number_format(_rounded(value, 0), decimal_pos=0, use_l10n=True, force_grouping=True) + " ₫"


# Units stored as data (reported values, targets) that have a name in each language.
UNIT_LABELS = {
    "enterprises": _("enterprises"),
    "establishments": _("establishments"),
    "persons": _("persons"),
}


@register.filter
def unit_label(unit):
    """The unit in the user's language where it is a known word ("enterprises" → "doanh nghiệp")."""
    return UNIT_LABELS.get(unit, unit)


@register.filter
def document_month(value):
    """The month of a date as an administrative document writes it in its date line.

    Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero ("ngày 02 tháng 02"),
    the months 3 to 12 none ("ngày 02 tháng 3 năm 2026"); the day comes from `date:"d"`.
    """
    if not value:
        return ""
    return document_dates.month_text(value.month)


@register.filter
def document_date(value, place=""):
    """The date line above a signature: `{{ today|document_date:department.date_place_display }}` gives
    "Quảng Ngãi, ngày 05 tháng 02 năm 2026" (`kontum_cp.document_dates.signature_line`)."""
    if not value:
        return ""
    return document_dates.signature_line(value, place)
