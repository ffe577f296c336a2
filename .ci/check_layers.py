"""Run import-linter's contracts (pyproject.toml) on the checkout.

The checkout is the package: `labelmarket/model` and `labelmarket/calibration` are symbolic
links to the top-level folders, so import-linter reads the tree as it installs. The
project's own contract types (`allowed`: what a layer may import) live beside this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(root: Path = ROOT) -> int:
    """Run lint-imports on the checkout at `root`; return its exit code."""
    paths = [str(root), str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint), str(root / "pyproject.toml"), "--no-cache"]
    return subprocess.run(command, env=env, cwd=root, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT))
