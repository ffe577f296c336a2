"""Reading a folder written by `labelmarket run` back into a `Run`, checked.

Comparison and reports start from run folders; a folder that is missing, incomplete or
without its manifest is refused with one message naming what is wrong, before anything is
computed or written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from labelmarket.errors import InputError
from labelmarket.model.results.run import Run

REQUIRED = ("manifest.json", "timeseries.parquet", "summary.csv", "defections.csv")
"""What a run folder holds (`timeseries.parquet` is a folder of parts; one file in older runs)."""


class RunFolderError(InputError):
    """A run folder that cannot be used, with the reason."""


def load_run(path: Path) -> Run:
    """Read and check a run folder; raise RunFolderError saying what is missing."""
    path = Path(path)
    if not path.exists():
        raise RunFolderError(f"{path}: run folder not found")
    if not path.is_dir():
        raise RunFolderError(f"{path}: not a folder (expected the output of `labelmarket run`)")
    missing = [name for name in REQUIRED if not (path / name).exists()]
    if missing:
        raise RunFolderError(
            f"{path}: not a complete run folder, missing {', '.join(missing)} "
            "(write one with `labelmarket run SCENARIO --out DIR`)"
        )
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        found = {
            "timeseries": pd.read_parquet(path / "timeseries.parquet"),
            "summary": pd.read_csv(path / "summary.csv"),
            "defections": pd.read_csv(path / "defections.csv", parse_dates=["date"]),
        }
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{path}: cannot read the run: {exc}") from None
    if not isinstance(manifest, dict) or "scenario" not in manifest:
        raise RunFolderError(f"{path}/manifest.json: no resolved scenario in the manifest")
    if "replicate_seeds" not in manifest:
        raise RunFolderError(f"{path}/manifest.json: no replicate_seeds in the manifest")
    charts = {p.name: p for p in sorted((path / "charts").glob("*.png"))}
    run = Run(manifest, path=path, tables=found, charts=charts)
    held = int(found["timeseries"]["replicate"].nunique())
    if len(run.seeds) != held:
        raise RunFolderError(
            f"{path}: manifest lists {len(run.seeds)} replicate seeds but the timeseries holds "
            f"{held} replicates"
        )
    return run
