"""A record of each import: who, when, which file, what it did."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_CHOICES


class ImportRecord(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Browser")
        COMMAND = "command", _("Command line")

    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("who"),
    )
    source = models.CharField(_("from"), max_length=10, choices=Source.choices, default=Source.WEB)
    kind = models.CharField(_("kind of data"), max_length=20, choices=KIND_CHOICES)
    file_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("check only"), default=False,
                                  help_text=_("Checked without writing anything (--dry-run)."))
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    seconds = models.DecimalField(_("duration (s)"), max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import record")
        verbose_name_plural = _("import records")

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()}, {self.created_at:%Y-%m-%d %H:%M})"

    @property
    def written(self):
        """True when the import wrote its rows (no error, not a dry run)."""
        return not self.dry_run and self.errors == 0

    @property
    def outcome_label(self):
        if self.errors:
            return _("Rejected — nothing written")
        if self.dry_run:
            return _("Checked only")
        return _("Imported")
