"""Edit controls per establishment (`establishments.areas`): `{% if establishment|editable:user %}`."""
from django import template

from establishments import areas

register = template.Library()


@register.filter
def editable(establishment, user):
    """True when `user` may change `establishment` (or, for None, a record of no establishment) and its
    records: an editing role, and for a user with an area an establishment inside it."""
    if user is None:
        return False
    return areas.may_edit(user, establishment or None)
