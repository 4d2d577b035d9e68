"""matplotlib (with numpy, about 55 MB) is loaded by the first chart drawn, not by every process at start-up."""
import os
import subprocess
import sys

from django.conf import settings

CHECK = """
import sys
import django
django.setup()
import kontum_cp.urls  # every view module, the dashboard's and its charts' included
from django.urls import get_resolver
get_resolver().url_patterns
print("matplotlib" in sys.modules)
from indicators import charts
charts.figure(charts.ChartSpec(name="x", title="x", alt="", x_label="", y_label="", columns=("Year", "n"),
                               rows=(), kind="bar"))
print("matplotlib" in sys.modules)
"""


def test_a_process_imports_matplotlib_when_it_draws_its_first_chart_only(tmp_path):
    env = {**os.environ, "DEBUG": "True", "SECRET_KEY": settings.SECRET_KEY, "DASHBOARD_WARMUP": "False",
           "MPLCONFIGDIR": str(tmp_path / "matplotlib"), "DJANGO_SETTINGS_MODULE": "kontum_cp.settings"}
    done = subprocess.run([sys.executable, "-c", CHECK], env=env, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
