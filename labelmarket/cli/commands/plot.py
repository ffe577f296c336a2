"""`labelmarket plot SWEEP_DIR`: draw a finished sweep's charts from its output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "draw a sweep's charts (response curves, heatmaps, sensitivity bars)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `plot` and its options."""
    p = sub.add_parser("plot", help=HELP, description=HELP)
    p.add_argument("folder", type=Path, help="output folder of `labelmarket sweep`")
    p.add_argument("--out", "-o", type=Path, help="chart folder (default: FOLDER/charts)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Draw the charts and list them (the chart folder is tried before anything is drawn)."""
    from labelmarket.api.sweep import plot_sweep
    from labelmarket.model.results.folders import check_place, writing

    charts = args.out or args.folder / "charts"
    if args.folder.is_dir():
        check_place(charts)
    with writing(charts):
        written = plot_sweep(args.folder, charts)
    print(f"wrote {len(written)} charts in {charts}/")
    for path in written:
        print(f"  {path.name}")
    return 0
