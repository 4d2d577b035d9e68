"""Imports go one way: the import-linter contracts of `.importlinter` hold (docs/architecture.md, "Layers").

The apps stack api > dataio > indicators > training > establishments, with the core (`kontum_cp`) under
them all; a lower layer that needs something of a higher one gets it registered (the establishment
page's sections, the list exports' writer), it never imports it.
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(*args, root=ROOT):
    """Run lint-imports on `root`'s `.importlinter` (no cache written); (exit code, its report)."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
         "--no-cache", "--no-logo", *args],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("contract", ["apps", "core"])
def test_imports_keep_their_direction(contract):
    code, report = lint_imports("--contract", contract)
    assert code == 0, report


def test_a_wrong_way_import_breaks_the_contract(tmp_path):
    """The contract bites: the same layers, on a copy where establishments imports indicators."""
    for app in ("establishments", "training", "indicators", "dataio", "api", "kontum_cp"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "indicators" / "models.py").write_text("")
    (tmp_path / "establishments" / "views.py").write_text("from indicators import models\n")
    (tmp_path / ".importlinter").write_text((ROOT / ".importlinter").read_text())
    code, report = lint_imports("--contract", "apps", root=tmp_path)
    assert code != 0
    assert "establishments.views -> indicators.models" in report
