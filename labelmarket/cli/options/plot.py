"""What `labelmarket plot` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`plot`'s arguments and options."""
    p.add_argument("folder", type=Path, help="output folder of `labelmarket sweep`")
    p.add_argument("--out", "-o", type=Path, help="chart folder (default: FOLDER/charts)")
