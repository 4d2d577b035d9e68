from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Plans and indicators")

    def ready(self):
        from .sections import register_sections

        register_sections()
        _recompute_after_data_changes()
        _declare_closing()


def _declare_closing():
    """The year each record is dated in, and the approved report's lock (`kontum_cp.closing`)."""
    from kontum_cp import closing

    from .models import AnnualReport, ResourceLine, line_lock, report_lock

    closing.register(AnnualReport, year_of=lambda report: report.year, lock=report_lock)
    closing.register(ResourceLine, year_of=lambda line: line.report.year, lock=line_lock)


def _recompute_after_data_changes():
    """Every save or delete of a record the dashboard reads schedules a recompute (`warmup`), and so does a
    process's first request."""
    from django.core.signals import request_started
    from django.db.models.signals import post_delete, post_save

    from .charts import watched_models
    from .warmup import data_changed, process_started

    request_started.connect(process_started, dispatch_uid="warmup-process-started")
    for model in watched_models():
        post_save.connect(data_changed, sender=model, dispatch_uid=f"warmup-save-{model._meta.label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"warmup-delete-{model._meta.label}")
