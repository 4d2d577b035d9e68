from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Dissemination and training")

    def ready(self):
        from .sections import register_sections

        register_sections()
