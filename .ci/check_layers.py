"""Run import-linter's layer contracts (pyproject.toml) on the tree as it installs.

model/ and calibration/ install as labelmarket.model and labelmarket.calibration
([tool.setuptools.package-dir]); import-linter reads packages from disk, so this builds
a mirror of that installed tree out of symbolic links and checks it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Build the mirror, run lint-imports against it, return its exit code."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    with tempfile.TemporaryDirectory() as tmp:
        mirror = Path(tmp)
        for package, folder in sorted(mapping.items(), key=lambda kv: kv[0].count(".")):
            target = mirror.joinpath(*package.split("."))
            target.parent.mkdir(parents=True, exist_ok=True)
            if package == "labelmarket":
                target.mkdir()
                for item in (ROOT / folder).iterdir():
                    (target / item.name).symlink_to(item)
            else:
                target.symlink_to(ROOT / folder)
        env = {**os.environ, "PYTHONPATH": str(mirror)}
        lint = Path(sys.executable).with_name("lint-imports")
        command = [str(lint), str(ROOT / "pyproject.toml"), "--no-cache"]
        return subprocess.run(command, env=env, cwd=tmp, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
