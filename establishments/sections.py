"""Sections of the establishment page that other apps contribute, and their history of changes.

`establishments` sits below `indicators` and `training` and must not import them, yet its page
shows the establishment's annual reports and trained staff. So those apps register a `Section`
here when they start (their `AppConfig.ready()`), as `admin.site.register` does: the section
loads its data (a fixed number of queries), names the template that shows it and, if it has
one, the history of its records for the page's "History of changes".
"""
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass(frozen=True)
class Section:
    """One block of the establishment page.

    `load(establishment, page)` returns the section's template variables; `page` holds what the
    establishment's own selector found (`measures`, `baseline_year`, ...). `history(establishment,
    data)` returns history entries (see `selectors.history_entries`) given the section's data.
    Sections show in ascending `order`: reports 10, CP measures 20, assistance 30, trained staff 40.
    """

    name: str
    order: int
    template: str
    load: Callable[..., dict]
    history: Optional[Callable[..., list]] = None


_sections = {}


def register(section):
    """Add (or replace, by name) a section of the establishment page."""
    _sections[section.name] = section
    return section


def sections():
    """The registered sections in page order."""
    return sorted(_sections.values(), key=lambda s: s.order)
