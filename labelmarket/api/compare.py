"""Compare runs with a baseline and write the comparison folder: tables, charts, manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelmarket.model.results import folders
from labelmarket.model.results.folders import staged_folder
from labelmarket.model.results.manifest import versions, write_json

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.results.run_folder import Run


def default_out(runs: list[Run]) -> Path:
    """runs/compare_<names of the compared runs>, cut (with a hash) to one folder name."""
    name = "compare_" + "_vs_".join(r.name for r in runs[1:])
    if len(name.encode()) > 120:
        digest = hashlib.sha256(name.encode()).hexdigest()[:10]
        name = f"{name.encode()[:100].decode(errors='ignore')}_{digest}"
    return folders.default_out(name)


def write_comparison(
    out: Path, inputs: list[Path], runs: list[Run], unpaired: bool, command: str
) -> tuple[pd.DataFrame, list]:
    """Compare every run with the first and write the folder; return (headline, pairings)."""
    from labelmarket.model.charts.compare import write_comparison_charts
    from labelmarket.model.charts.events import merged_events
    from labelmarket.model.results.comparison import compare
    from labelmarket.report.text import with_sentences

    table, diffs, pairings = compare(runs, unpaired)
    table = with_sentences(table)
    with staged_folder(out) as folder:
        table.to_csv(folder / "headline.csv", index=False)
        diffs.to_csv(folder / "differences.csv", index=False)
        (folder / "charts").mkdir()
        write_comparison_charts(runs[0], runs[1:], diffs, merged_events(runs), folder / "charts")
        write_json(folder / "manifest.json", _manifest(inputs, runs, pairings, command))
    return table, pairings


def _manifest(inputs: list[Path], runs: list[Run], pairings: list, command: str) -> dict:
    """What was compared, how replicates were paired, and with which versions."""
    described: list[dict[str, Any]] = [
        {
            "input": str(path),
            "scenario": r.name,
            "scenario_sha256": r.manifest.get("scenario_sha256"),
            "seed": r.manifest.get("seed"),
            "replicates": r.replicates,
            "command": r.manifest.get("command"),
            "posterior": (r.manifest.get("posterior") or {}).get("file"),
        }
        for path, r in zip(inputs, runs, strict=True)
    ]
    drawn = all(r.manifest.get("posterior") for r in runs)
    return {
        "command": command,
        "baseline": runs[0].name,
        "inputs": described,
        "pairing": {r.name: p.describe() for r, p in zip(runs[1:], pairings, strict=True)},
        "interval": "5-95% range of per-replicate differences (scenario minus baseline): "
        + ("parameter and random uncertainty (pairs share their seed and posterior draw)"
           if drawn else "random draws only (parameters as each scenario gives them)"),
        "versions": versions(),
    }  # fmt: skip
