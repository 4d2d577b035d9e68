"""The Department that runs the portal, as data with validity dates (DOMAIN.md, *Places*).

`current_department(on=date)` gives the row valid on a day: the one with the latest `valid_from` on or
before it (the undated row holds before every dated one). Pages read it once per request, when a template
first uses it (`establishments.context_processors.department`): one small query, always what an
administrator last saved, whichever process serves the page.
"""
import datetime

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from kontum_cp import document_dates
from kontum_cp.bilingual import reads_english

from .models import Department

# Vietnamese names of administrative units start with their kind; inside a sentence it is written small
# ("tỉnh Kon Tum", "huyện Đắk Hà") as an administrative document writes it.
_UNIT_WORDS = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Thị trấn ", "Quận ", "Xã ", "Phường ", "Đặc khu ")


def departments():
    """Every Department row, oldest first (one query)."""
    return list(Department.objects.select_related("province"))


def department_on(rows, on):
    """The row of `rows` valid on the day `on`: the latest `valid_from` ≤ `on`; the undated row before every
    dated one; when `on` is before every row, the earliest (a Department is always named); None without rows."""
    undated = [r for r in rows if r.valid_from is None]
    dated = sorted((r for r in rows if r.valid_from is not None), key=lambda r: r.valid_from)
    valid = [r for r in dated if r.valid_from <= on]
    if valid:
        return valid[-1]
    if undated:
        return undated[0]
    return dated[0] if dated else None


def current_department(on=None):
    """The Department valid on `on` (default: today), or None when no row exists."""
    return department_on(departments(), on or timezone.localdate())


def request_department(request):
    """Today's Department for a request, read once whatever asks for it (templates, the printed report).

    While the database does not answer, None: pages that need no database (the sign-in form, the error
    pages) still render, naming a Department in general words."""
    if not hasattr(request, "_portal_department"):
        try:
            request._portal_department = current_department()
        except DatabaseError:
            request._portal_department = None
    return request._portal_department


def _in_sentence(name):
    for word in _UNIT_WORDS:
        if name.startswith(word):
            return word.lower() + name[len(word):]
    return name


def territory_label(place):
    """A plan's territory as a report names it: the place's name, and for a place that no longer exists the
    day it ended ("tỉnh Kon Tum (trước 01/7/2025)", "Kon Tum province (until 30/06/2025)"); "" for none."""
    if place is None:
        return ""
    english = reads_english()
    name = place.name if english else _in_sentence(place.name_vi)
    if place.valid_to is None:
        return name
    if english:
        return _("%(place)s (until %(date)s)") % {"place": name, "date": f"{place.valid_to:%d/%m/%Y}"}
    first_day_after = place.valid_to + datetime.timedelta(days=1)
    return _("%(place)s (before %(date)s)") % {"place": name, "date": document_dates.in_figures(first_day_after)}



def plan_territory_label(plan):
    """The territory of a plan as `territory_label` names it; "" while the plan names none."""
    return territory_label(getattr(plan, "territory", None))
