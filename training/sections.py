"""The establishment page's trained staff, registered with `establishments.sections` (`TrainingConfig.ready`)."""
from establishments.sections import Section, register

from .selectors import establishment_people


def register_sections():
    register(Section("people", 40, "training/_establishment_people.html",
                     load=lambda establishment, page: {"people": establishment_people(establishment)}))
