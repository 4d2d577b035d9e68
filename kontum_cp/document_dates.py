"""Dates as an administrative document writes them (Nghị định 30/2020/NĐ-CP).

Days 1–9 and the months 1 and 2 take a leading zero, the months 3–12 none:
"ngày 05 tháng 02 năm 2026", "ngày 15 tháng 3 năm 2026"; in figures "01/7/2025".
"""
from django.utils.translation import gettext as _


def month_text(month):
    """The month as a document writes it: "01", "02", then "3" … "12"."""
    return f"{month:02d}" if month <= 2 else str(month)


def day_text(day):
    """The day as a document writes it: "01" … "09", then "10" … "31"."""
    return f"{day:02d}"


def in_figures(day):
    """A date in figures: "05/02/2026", "01/7/2025"."""
    return f"{day_text(day.day)}/{month_text(day.month)}/{day.year}"


def signature_line(day, place):
    """The place and date above a signature: "Quảng Ngãi, ngày 05 tháng 02 năm 2026" (in the user's
    language); without a place, the date alone."""
    values = {"place": place, "day": day_text(day.day), "month": month_text(day.month), "year": day.year}
    if place:
        return _("%(place)s, day %(day)s month %(month)s year %(year)s") % values
    return _("Day %(day)s month %(month)s year %(year)s") % values
