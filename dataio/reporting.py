"""The summary and error report of an import as plain text (command line)."""
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .importers import CREATED, UNCHANGED, UPDATED
from .kinds import KINDS


def issue_text(issue):
    parts = []
    if issue.row:
        parts.append(_("row %(row)d") % {"row": issue.row})
    if issue.column:
        parts.append(_("column %(column)s") % {"column": issue.column})
    if issue.value:
        parts.append(_("value “%(value)s”") % {"value": issue.value})
    where = ", ".join(parts)
    return f"{where}: {issue.message}" if where else issue.message


def summary_lines(result, max_errors=200):
    kind = KINDS[result.kind]
    yield _("File %(file)s — %(kind)s — rows read: %(rows)d") % {
        "file": result.file_name, "kind": capfirst(kind.label), "rows": result.rows}
    if result.ok:
        verb = _("would be") if not result.written else ""
        yield (_("Rows created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d") % {
            "created": result.counts[CREATED], "updated": result.counts[UPDATED],
            "unchanged": result.counts[UNCHANGED]}) + (f" ({verb.strip()})" if verb else "")
        for name, created, updated in result.details:
            yield "  " + _("%(name)s: %(created)d created, %(updated)d updated") % {
                "name": capfirst(name), "created": created, "updated": updated}
        if result.all_unchanged:
            yield _("Everything is unchanged: the file's data are already in the portal.")
    for issue in result.warnings:
        yield _("Warning") + ": " + issue_text(issue)
    for change in result.large_changes:
        where = (_("row %(row)d") % {"row": change.row} + ": ") if change.row else ""
        yield _("Warning") + ": " + where + change.message
    if result.errors:
        yield _("%(count)d error(s) — nothing was written.") % {"count": len(result.errors)}
        for issue in result.errors[:max_errors]:
            yield "  " + issue_text(issue)
        if len(result.errors) > max_errors:
            yield "  " + _("… and %(count)d more.") % {"count": len(result.errors) - max_errors}
    elif result.dry_run:
        yield _("Check only (--dry-run): nothing was written.")
    else:
        yield _("Imported in %(seconds).1f s.") % {"seconds": result.seconds}
