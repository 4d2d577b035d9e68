"""Pagination and sorting shared by every list page."""
from django.core.paginator import Paginator

PER_PAGE = 25


def page_of(request, queryset, per_page=PER_PAGE):
    """The page asked for by ?page= (garbage or out of range: the first or the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def ordering(sort, sorts, default):
    """order_by() fields for a ?sort= value such as "name" or "-name".

    `sorts` maps each sortable key to its fields, the first one sorted on and the rest as
    tie-breaks (they keep their direction, so pages stay stable); an unknown key gives `default`.
    """
    key = (sort or "").strip()
    fields = sorts.get(key.lstrip("-"))
    if not fields:
        return tuple(default)
    if key.startswith("-"):
        return ("-" + fields[0],) + tuple(fields[1:])
    return tuple(fields)


def sorts(tie_break, **fields):
    """The `sorts` of `ordering`: each key sorted on its field, then on `tie_break` (a unique field, so that
    rows of equal values keep their order from page to page)."""
    return {key: (field,) if field == tie_break else (field, tie_break) for key, field in fields.items()}
