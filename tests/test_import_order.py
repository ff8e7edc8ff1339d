"""DESIGN.md's app order as import-linter contracts (.importlinter): an app imports only the apps
before it (cybersecurity → devices → datalogger → hierarchies → alarms, photoview, system →
webview), and the page frame the apps plug into (webview.frame) imports none of them."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_imports_follow_the_app_order():
    result = subprocess.run([str(LINT_IMPORTS), ".importlinter", "--no-cache"],
                            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    report = result.stdout.split("Contracts\n---------", 1)[-1]
    assert result.returncode == 0, f"an import goes the wrong way:\n{report}{result.stderr}"
    assert "Contracts: 2 kept, 0 broken." in report
