"""Texts kept in two fields: the Vietnamese one (canonical: imports, exports, natural keys) and `<field>_en`.

Official data quotes Vietnamese documents and their English versions; each language has its own field
instead of "… (English …)" in one, and pages show the one of the user's language.
"""
from django.utils.translation import get_language


def reads_english():
    return (get_language() or "vi").startswith("en")


def in_user_language(vi, en):
    """The English text for a user reading English where one is given; the Vietnamese otherwise."""
    return en if en and reads_english() else vi


class InUserLanguage:
    """A read-only model attribute: `field` or `field_en`, whichever the user reads.

        notes_display = InUserLanguage("notes")   # {{ establishment.notes_display }}
    """

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return in_user_language(getattr(instance, self.field), getattr(instance, self.field + "_en"))


def mark_english_input(name, formfield):
    """An `_en` field's box says its text is English (`lang="en"`): spell-checkers and screen readers use it."""
    if formfield is not None and name.endswith("_en"):
        formfield.widget.attrs.setdefault("lang", "en")
    return formfield
