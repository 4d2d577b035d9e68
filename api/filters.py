"""The filters every list of the API reads: ?year=, ?place= (a place's statistical code, by lineage) and
?sector= (a sector's code). A malformed year or an unknown place or sector code is a 400 with a message."""
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from establishments.models import Place, Sector
from establishments.places import establishments_within
from kontum_cp.params import year_or_none


def year_param(params):
    """The ?year= of the request as a number, None when not asked for."""
    value = (params.get("year") or "").strip()
    if not value:
        return None
    year = year_or_none(value)
    if year is None:
        raise ValidationError({"year": _("The year must be between 1990 and 2100.")})
    return year


def place_filter(params, prefix=""):
    """A Q for the establishments (`prefix` for a related model) whose place lies inside the place of
    ?place=<code> by lineage (a former district finds the communes that succeeded it); None when not asked."""
    code = (params.get("place") or "").strip()
    if not code:
        return None
    try:
        place = Place.objects.get_by_natural_key(code)
    except Place.DoesNotExist:
        raise ValidationError({"place": _("No place has the code “%(code)s”.") % {"code": code[:40]}}) from None
    return establishments_within(place, prefix)


def sector_filter(params, prefix=""):
    """A Q for the establishments (`prefix` for a related model) of the sector of ?sector=<code>."""
    code = (params.get("sector") or "").strip()
    if not code:
        return None
    if not Sector.objects.filter(code=code).exists():
        raise ValidationError({"sector": _("No sector has the code “%(code)s”.") % {"code": code[:40]}})
    return Q(**{f"{prefix}sector__code": code})


def by_place_and_sector(queryset, params, prefix=""):
    for q in (place_filter(params, prefix), sector_filter(params, prefix)):
        if q is not None:
            queryset = queryset.filter(q)
    return queryset
