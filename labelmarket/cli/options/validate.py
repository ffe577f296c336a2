"""What `labelmarket validate` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import add_overrides


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`validate`'s arguments and options."""
    p.add_argument("scenario", type=Path, help="scenario YAML file, or a bundled scenario's name")
    add_overrides(p, "override a field before checking")
