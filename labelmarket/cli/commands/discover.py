"""`labelmarket discover SWEEP_DIR --outcome EXPR`: where in the sweep does a condition hold?

Scenario discovery on a finished sweep: PRIM's peeling trajectory with its coverage/density
trade-off and the chosen box's limits, and CART's rules as a second view. Writes tables,
charts and a record under SWEEP_DIR/discovery/, which `labelmarket report SWEEP_DIR` shows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.logs import say

EPILOG = """examples:
  labelmarket discover runs/sweeps/grid --outcome "leave_month[Google->Scale AI] <= 24"
  labelmarket discover runs/sweeps/sobol --outcome "revenue_2026[Scale AI] vs baseline < -2e8"
outcome names are the sweep's result columns (a condition naming none lists them);
write them bare or in backticks, compare with < <= > >= == !=, join with and/or/not.
A run whose outcome is missing (a client that never leaves) fails every comparison."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`discover`'s options."""
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


def run(args: argparse.Namespace) -> int:
    """Run the discovery and print the box, the trade-off and the rules."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.discover import discover, discovery_text

    found = discover(
        args.folder, args.outcome, out=args.out, min_coverage=args.min_coverage,
        peel_alpha=args.peel_alpha,
    )  # fmt: skip
    print(discovery_text(found))
    say(f"wrote {found.folder}/ (tables, charts, discovery.json)")
    return 0
