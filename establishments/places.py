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
import unicodedata

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

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



# ---- today's unit and the place menus ----------------------------------------------------------

def today_unit(place, on=None):
    """The unit valid on `on` (default today) that `place` now is or is part of.

    The place itself while it is valid; else the unit its successors form (the one successor valid
    that day, or the smallest unit valid that day that holds all of them: a district split into
    communes of one province is now part of that province); else its parent's unit (a former
    district with no successor of its own is now part of what its province became). None when no
    successor is known. Two queries (all places, all succession links) beyond `place` itself.
    """
    if place is None:
        return None
    on = on or timezone.localdate()
    if place.valid_to is None or place.valid_to >= on:  # valid, or not yet begun: still itself
        return place
    places = {p.pk: p for p in Place.objects.all()}
    successors = {}
    for predecessor, successor in PlaceSuccession.objects.values_list("predecessor_id", "successor_id"):
        successors.setdefault(predecessor, []).append(successor)
    return _unit_on(place.pk, on, places, successors, set())


def _unit_on(pk, on, places, successors, seen):
    place = places.get(pk)
    if place is None or pk in seen:
        return None
    seen.add(pk)
    if place.valid_on(on):
        return place
    found = {}
    for successor in successors.get(pk, ()):
        unit = _unit_on(successor, on, places, successors, seen)
        if unit is not None:
            found[unit.pk] = unit
    if len(found) == 1:
        return next(iter(found.values()))
    if found:
        return _smallest_common_unit(list(found), on, places)
    return _unit_on(place.parent_id, on, places, successors, seen) if place.parent_id else None


def _ancestors(pk, places):
    chain = []
    while pk is not None and pk in places and pk not in chain:
        chain.append(pk)
        pk = places[pk].parent_id
    return chain


def _smallest_common_unit(pks, on, places):
    others = [set(_ancestors(pk, places)) for pk in pks[1:]]
    for pk in _ancestors(pks[0], places):
        if all(pk in chain for chain in others) and places[pk].valid_on(on):
            return places[pk]
    return None


def sort_key(text):
    """A name's place in an alphabetical list (Đ with D, accents ignored first)."""
    text = (text or "").replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return plain.casefold(), text


def place_label(place, on=None):
    """The place's name, marked "(until 30/06/2025)" when it has ceased to exist by `on` (Place.label)."""
    return place.label(on)


def place_menu(places, on=None):
    """The places of a menu, in groups: [(group label or "", [(place, label), ...]), ...].

    The units valid on `on` (default today) come first, grouped by parent (a unit without a parent on
    its own, first); then one group of the former units, ordered by parent then name. Larger parents
    come first (the country's group before a province's). `places` needs their parents loaded
    (select_related("parent")) so that the menu costs no query of its own.
    """
    on = on or timezone.localdate()
    current, former = {}, []
    for place in places:
        if place.valid_to is not None and place.valid_to < on:
            former.append(place)
        else:
            current.setdefault(place.parent, []).append(place)

    def parent_key(parent):
        return (-1, ("", "")) if parent is None else (_rank(parent.level), sort_key(parent.name))

    def by_name(place):
        return sort_key(place.name)

    groups = []
    for parent in sorted(current, key=parent_key):
        members = [(p, place_label(p, on)) for p in sorted(current[parent], key=by_name)]
        groups.append(("" if parent is None else place_label(parent, on), members))
    if former:
        former.sort(key=lambda p: (parent_key(p.parent), by_name(p)))
        groups.append((_("Former units"), [(p, place_label(p, on)) for p in former]))
    return groups
