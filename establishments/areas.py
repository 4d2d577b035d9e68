"""Users with an area (issue 11): who may change which establishment, decided here and only here.

A data-entry user may be limited to an area (`UserArea`: one or more places). They read everything, but
add and change only the establishments whose place lies inside the area by lineage, and the records of
those establishments: annual reports, CP measures, assistance, the attendance and people of the
establishment. Every edit path asks `may_edit(user, establishment)`: the views through
`require_edit` (403), the forms' place through `check_place`, the templates through the `editable`
filter (no edit controls), the spreadsheet import through `outside_area`. A user with `read_only_area`
also reads only the establishments of the area (`readable_q`). Administrators are never limited.

Which places lie inside the area is the lineage rule of `establishments.places` (by parent and by
succession: an area of Kon Tum as it was holds its former districts and the communes that succeeded them).
"""
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from kontum_cp.access import RefusedWithReason
from kontum_cp.roles import can_edit, is_administrator

from . import places
from .models import UserArea


@dataclass(frozen=True)
class Area:
    place_ids: frozenset  # the area's places and every place inside them
    read_only_area: bool


def _places_within(place_ids):
    """The ids of the places lying inside any of `place_ids` by lineage (`establishments.places`: by parent
    and by succession), the places themselves included."""
    return frozenset().union(*(places.within_ids(pk) for pk in place_ids))


def user_area(user):
    """The user's `Area`, or None for a user not limited (no area, no place in it, an administrator).
    Read once per user object (one query, two with an area)."""
    if not getattr(user, "is_authenticated", False) or is_administrator(user):
        return None
    if not hasattr(user, "_portal_area"):
        row = UserArea.objects.filter(user=user).prefetch_related("places").first()
        place_ids = [p.pk for p in row.places.all()] if row else []
        user._portal_area = Area(_places_within(place_ids), row.read_only_area) if place_ids else None
    return user._portal_area


def _place_id(establishment):
    if isinstance(establishment, dict):
        return establishment.get("place_id", establishment.get("place"))
    return establishment.place_id


def in_area(area, place_id):
    return area is None or (place_id is not None and place_id in area.place_ids)


def may_edit(user, establishment):
    """True when `user` may add and change `establishment` and its records: an editing role, and for a user
    with an area an establishment placed inside it (an establishment without a place lies in no area).
    `establishment` None (a record of no establishment: a person of no plant) needs the role only."""
    if not can_edit(user):
        return False
    if establishment is None:
        return True
    return in_area(user_area(user), _place_id(establishment))


def require_edit(user, establishment):
    """403 unless `may_edit(user, establishment)`; for a user with an area, the page says why."""
    if not may_edit(user, establishment):
        raise RefusedWithReason(outside_message(establishment))


def require_inside(user, establishment):
    """403 (saying why) when `user` has an area and `establishment` lies outside it, whatever the role: for
    actions that are not data entry (approving a report) and have their own permission check."""
    if outside_area(user, [establishment]):
        raise RefusedWithReason(outside_message(establishment))


def outside_message(establishment):
    code = establishment.get("code", "") if isinstance(establishment, dict) else establishment.code
    name = establishment.get("name", "") if isinstance(establishment, dict) else establishment.name
    return _("%(code)s %(name)s lies outside your area: you may read it but not change it or its records.") % {
        "code": code, "name": name}


def check_place(user, place, field="place"):
    """A `ValidationError` on `field` when a user with an area puts a record in a place outside it."""
    area = user_area(user)
    if area is not None and not in_area(area, getattr(place, "pk", place)):
        raise ValidationError({field: _("Choose a place inside your area.")})


def check_establishment(user, establishment, field="establishment"):
    """A `ValidationError` on `field` when a record is tied to an establishment that `user` may not change."""
    if establishment is not None and not may_edit(user, establishment):
        raise ValidationError({field: outside_message(establishment)})


def outside_area(user, establishments):
    """The establishments (rows with `place_id`, `code`, `name`) that `user` may not change; [] when the
    user has no area."""
    area = user_area(user)
    if area is None:
        return []
    return [e for e in establishments if not in_area(area, _place_id(e))]


def readable_q(user, prefix=""):
    """The establishments `user` reads: everything, or for an area with `read_only_area` those inside it."""
    area = user_area(user)
    if area is None or not area.read_only_area:
        return Q()
    return Q(**{f"{prefix}place_id__in": area.place_ids})
