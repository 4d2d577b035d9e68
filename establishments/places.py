"""Which places lie inside a territory, by lineage: the one home of that rule (DOMAIN.md, *Places*).

A place P lies inside a territory T when
  1. P is T;
  2. P's parent lies inside T (a district of the province, a commune of the district);
  3. P succeeded a unit inside T and P is a smaller unit than T (a commune formed from communes of a
     former district lies inside that district's province as it was), or
  4. P was succeeded by a unit inside T and P is no larger than T (Kon Tum province, merged into the new
     Quảng Ngãi province, lies inside Quảng Ngãi).
Rules 3 and 4 compare levels so that a merger never pulls a larger unit into a smaller one: the new
Quảng Ngãi province does not lie inside Kon Tum as it was, and a former district does not lie inside the
commune that took over part of it.

So plan 835 (Kon Tum as it was) covers establishments registered to Kon Tum province, its former
districts and the communes that succeeded them, and none registered elsewhere in the new Quảng Ngãi
province. An establishment without a place lies in no territory.

Places are few (a country has about 10,000 communes): the lineage is computed in Python from one query
on each of the two tables, each time it is asked for, so it is never stale.
"""
from django.db.models import Q

from .models import Place, PlaceSuccession

#: Larger units have smaller ranks; a city ranks with the districts.
LEVEL_RANK = {
    Place.Level.COUNTRY: 0,
    Place.Level.PROVINCE: 1,
    Place.Level.CITY: 2,
    Place.Level.DISTRICT: 2,
    Place.Level.COMMUNE: 3,
}


def _rank(level):
    return LEVEL_RANK.get(level, max(LEVEL_RANK.values()))


def within_ids(territory):
    """The ids of the places lying inside `territory` (a Place or its id) by lineage, `territory`
    included; an empty set when `territory` is None."""
    if territory is None:
        return frozenset()
    territory_id = territory if isinstance(territory, int) else territory.pk
    rows = list(Place.objects.values_list("pk", "parent_id", "level"))
    places = {pk: parent_id for pk, parent_id, _level in rows}
    levels = {pk: level for pk, _parent_id, level in rows}
    if territory_id not in places:
        return frozenset()
    links = list(PlaceSuccession.objects.values_list("predecessor_id", "successor_id"))
    top = _rank(levels[territory_id])
    inside = {territory_id}
    changed = True
    while changed:  # a fixpoint: at most as many rounds as the longest chain of parents and successions
        changed = False
        for pk, parent_id in places.items():
            if pk not in inside and parent_id in inside:
                inside.add(pk)
                changed = True
        for predecessor, successor in links:
            if successor not in inside and predecessor in inside and _rank(levels[successor]) > top:
                inside.add(successor)
                changed = True
            if predecessor not in inside and successor in inside and _rank(levels[predecessor]) >= top:
                inside.add(predecessor)
                changed = True
    return frozenset(inside)


def lies_within(place, territory):
    """Whether `place` (a Place, an id or None) lies inside `territory` by lineage."""
    if place is None or territory is None:
        return False
    return (place if isinstance(place, int) else place.pk) in within_ids(territory)


def establishments_within(territory, prefix=""):
    """A Q filter for the establishments whose place lies inside `territory` (`prefix` for a related
    model, e.g. "establishment__"). No territory: no filter (the whole database)."""
    if territory is None:
        return Q()
    return Q(**{f"{prefix}place_id__in": within_ids(territory)})

