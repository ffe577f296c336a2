"""What `labelmarket facts` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`facts`'s arguments and options."""
    p.add_argument(
        "--conflicts", action="store_true", help="show the conflicts between sources instead"
    )
    p.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="ledger folder (default: the one shipped with labelmarket)",
    )
