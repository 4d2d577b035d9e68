from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstablishmentsConfig(AppConfig):
    name = "establishments"
    verbose_name = _("Establishments")

    def ready(self):
        from . import sections
        from .selectors import OWN_SECTIONS

        for section in OWN_SECTIONS:
            sections.register(section)

        from kontum_cp import closing

        from .models import AssistanceRecord, CPMeasure

        # The year a record is dated in (`kontum_cp.closing`). A record dated only as a range of years is
        # dated in its latest possible year, the year from which it counts (DOMAIN.md); with an open latest
        # year it lies in no closed year.
        closing.register(CPMeasure, year_of=lambda measure: measure.year if measure.year else measure.year_latest)
        closing.register(AssistanceRecord, year_of=lambda record: (
            record.date.year if record.date else record.year if record.year else record.date_latest))
