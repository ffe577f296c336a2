"""`labelmarket discover SWEEP_DIR --outcome EXPR`: where in the sweep does a condition hold?

Scenario discovery on a finished sweep: PRIM's peeling trajectory with its coverage/density
trade-off and the chosen box's limits, and CART's rules as a second view. Writes tables,
charts and a record under SWEEP_DIR/discovery/, which `labelmarket report SWEEP_DIR` shows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "find the parameter regions of a sweep where an outcome condition holds (PRIM, CART)"
EPILOG = """examples:
  labelmarket discover runs/sweeps/grid --outcome "leave_month[Google->Scale AI] <= 24"
  labelmarket discover runs/sweeps/sobol --outcome "revenue_2026[Scale AI] vs baseline < -2e8"
outcome names are the sweep's result columns (a condition naming none lists them);
write them bare or in backticks, compare with < <= > >= == !=, join with and/or/not.
A run whose outcome is missing (a client that never leaves) fails every comparison."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `discover` and its options."""
    p = sub.add_parser(
        "discover",
        help=HELP,
        description=HELP,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the discovery and print the box, the trade-off and the rules."""
    from labelmarket.api.discover import run_discovery
    from labelmarket.report.discovery import format_discovery

    found = run_discovery(args.folder, args.outcome, args.out, args.min_coverage, args.peel_alpha)
    print(format_discovery(found.discovery, found.folder))
    return 0
