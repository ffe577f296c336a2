"""What `labelmarket report` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`report`'s arguments and options."""
    p.add_argument(
        "run_dir",
        type=Path,
        metavar="RUN_DIR",
        help="folder of `labelmarket run` or `labelmarket sweep`",
    )
    p.add_argument(
        "--compare",
        type=Path,
        metavar="RUN_DIR",
        help="baseline run folder (or scenario file) to compare with, replicate by replicate",
    )
    p.add_argument("--out", "-o", type=Path, help="output file (default: RUN_DIR/report.html)")
    p.add_argument("--seeds", type=Path, help="facts ledger folder (default: the bundled one)")
    p.add_argument(
        "--facts",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the facts ledger beside simulated values (default: historical or "
        "calibrated scenarios only)",
    )
    p.add_argument("--unpaired", action="store_true", help="allow a baseline with other seeds")
