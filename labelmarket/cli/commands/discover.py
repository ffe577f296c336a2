"""`labelmarket discover SWEEP_DIR --outcome EXPR`: where in the sweep does a condition hold?

Scenario discovery on a finished sweep: PRIM's peeling trajectory with its coverage/density
trade-off and the chosen box's limits, and CART's rules as a second view. Writes tables,
charts and a record under SWEEP_DIR/discovery/, which `labelmarket report SWEEP_DIR` shows.
"""

from __future__ import annotations

import argparse

from labelmarket.api.discover import discover, discovery_text
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Run the discovery and print the box, the trade-off and the rules."""
    found = discover(
        args.folder, args.outcome, out=args.out, min_coverage=args.min_coverage,
        peel_alpha=args.peel_alpha,
    )  # fmt: skip
    print(discovery_text(found))
    say(f"wrote {found.folder}/ (tables, charts, discovery.json)")
    return 0
