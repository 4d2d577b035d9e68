from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Dissemination and training")

    def ready(self):
        from .sections import register_sections

        register_sections()

        from kontum_cp import closing

        from .models import Attendance, Event, StaffHeadcount

        # The year a record is dated in (`kontum_cp.closing`): an event's start, a headcount's year.
        closing.register(Event, year_of=lambda event: event.start_date.year if event.start_date else None)
        closing.register(Attendance,
                         year_of=lambda row: row.event.start_date.year if row.event.start_date else None)
        closing.register(StaffHeadcount, year_of=lambda headcount: headcount.year)
