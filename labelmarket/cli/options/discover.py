"""What `labelmarket discover` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

EPILOG = """examples:
  labelmarket discover runs/sweeps/grid --outcome "leave_month[Google->Scale AI] <= 24"
  labelmarket discover runs/sweeps/sobol --outcome "revenue_2026[Scale AI] vs baseline < -2e8"
outcome names are the sweep's result columns (a condition naming none lists them);
write them bare or in backticks, compare with < <= > >= == !=, join with and/or/not.
A run whose outcome is missing (a client that never leaves) fails every comparison."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`discover`'s arguments and options."""
    p.epilog = EPILOG
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("folder", type=Path, metavar="SWEEP_DIR", help="output of `labelmarket sweep`")
    p.add_argument("--outcome", required=True, metavar="EXPR", help="the condition of interest")
    p.add_argument(
        "--min-coverage",
        type=float,
        default=0.8,
        help="choose the densest box holding at least this share of the runs of interest "
        "(default 0.8)",
    )
    p.add_argument(
        "--peel-alpha", type=float, default=0.05, help="share of runs peeled per step (0.05)"
    )
    p.add_argument("--out", "-o", type=Path, help="folder (default SWEEP_DIR/discovery/EXPR)")
