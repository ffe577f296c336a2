"""`labelmarket plot SWEEP_DIR`: draw a finished sweep's charts from its output folder."""

from __future__ import annotations

import argparse

from labelmarket.api.sweep import plot_sweep
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Draw the charts and list them (the chart folder is tried before anything is drawn)."""
    written = plot_sweep(args.folder, args.out)
    charts = args.out or args.folder / "charts"
    say(f"wrote {len(written)} charts in {charts}/: {', '.join(p.name for p in written)}")
    return 0
