"""What `labelmarket schema` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`schema`'s arguments and options."""
    p.add_argument(
        "--out", "-o", type=Path, default=Path("."), help="folder to write into (default: .)"
    )
