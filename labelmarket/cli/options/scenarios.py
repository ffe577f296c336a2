"""What `labelmarket scenarios` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`scenarios`'s arguments and options."""
    p.add_argument("--path", action="store_true", help="print only the bundled folder's path")
