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
