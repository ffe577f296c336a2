"""Running the command line in a fresh process, as a user would (shared by the CLI tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m labelmarket ARGS` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "labelmarket", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
