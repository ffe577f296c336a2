"""`labelmarket plot SWEEP_DIR`: draw a finished sweep's charts from its output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.logs import say


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`plot`'s options."""
    p.add_argument("folder", type=Path, help="output folder of `labelmarket sweep`")
    p.add_argument("--out", "-o", type=Path, help="chart folder (default: FOLDER/charts)")


def run(args: argparse.Namespace) -> int:
    """Draw the charts and list them (the chart folder is tried before anything is drawn)."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.sweep import plot_sweep

    written = plot_sweep(args.folder, args.out)
    charts = args.out or args.folder / "charts"
    say(f"wrote {len(written)} charts in {charts}/: {', '.join(p.name for p in written)}")
    return 0
