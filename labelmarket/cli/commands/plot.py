"""`labelmarket plot SWEEP_DIR`: draw a finished sweep's charts from its output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "draw a sweep's charts (response curves, heatmaps, sensitivity bars)"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `plot` and its options."""
    p = subparsers.add_parser("plot", help=HELP, description=HELP)
    p.add_argument("folder", type=Path, help="output folder of `labelmarket sweep`")
    p.add_argument("--out", "-o", type=Path, help="chart folder (default: FOLDER/charts)")
    p.set_defaults(handler=run)


def draw(folder: Path, charts: Path) -> list[Path]:
    """Read a sweep folder's tables and write its charts into `charts`."""
    import json

    import pandas as pd

    from labelmarket.errors import UsageError

    manifest_file = folder / "manifest.json"
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if manifest.get("kind") != "labelmarket sweep":
        raise UsageError(f"{folder}: no sweep manifest.json here (is it a `sweep` output?)")
    if manifest.get("status") != "complete" or not (folder / "results.parquet").is_file():
        raise UsageError(
            f"{folder}: the sweep is not finished; run `labelmarket sweep "
            f"{manifest.get('sweep_file', 'SWEEP.yaml')} --out {folder} --resume` first"
        )
    results = pd.read_parquet(folder / "results.parquet")
    table = folder / "sensitivity.csv"
    sensitivity = pd.read_csv(table) if table.is_file() else None

    from labelmarket.model.charts.sweep import write_sweep_charts

    return write_sweep_charts(results, manifest, sensitivity, charts)


def run(args: argparse.Namespace) -> int:
    """Draw the charts and list them."""
    charts = args.out or args.folder / "charts"
    written = draw(args.folder, charts)
    print(f"wrote {len(written)} charts in {charts}/")
    for path in written:
        print(f"  {path.name}")
    return 0
