"""Fill the dashboard cache now: every plan, the year it opens on, then every other year of its menu.

    python manage.py warm_dashboard                  # after a deployment, a restore or a bulk load
    python manage.py warm_dashboard --default-year-only

The portal does the same in the background after every data change (`indicators/warmup.py`); this command is
for when the data changed outside the portal (a database restore) or the cache was emptied.
"""
import time

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from indicators import warmup


class Command(BaseCommand):
    help = "Compute the dashboard of every plan and year into the cache, so first views are served warm."

    def add_arguments(self, parser):
        parser.add_argument("--default-year-only", action="store_true",
                            help="Only the year each plan's dashboard opens on.")
        parser.add_argument("--language", choices=["vi", "en"], default="vi",
                            help="Language of the messages (default: vi).")

    def handle(self, *args, **opts):
        with translation.override(opts["language"]):
            started = time.monotonic()
            done = warmup.warm(all_years=not opts["default_year_only"])
            plans = len({plan.pk for plan, _year in done})
            seconds = number_format(time.monotonic() - started, 1)
            self.stdout.write(_("Dashboard ready in the cache: %(n)s plan-years of %(plans)s plans, %(seconds)s s.")
                              % {"n": len(done), "plans": plans, "seconds": seconds})
