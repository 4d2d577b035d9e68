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

        # The year a record is dated in (`kontum_cp.closing`). A measure with a range of years is not
        # known here yet: it counts as dated in its `year`.
        closing.register(CPMeasure, year_of=lambda measure: measure.year)
        closing.register(AssistanceRecord,
                         year_of=lambda record: record.date.year if record.date else record.year)
