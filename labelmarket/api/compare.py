"""Compare runs with a baseline, replicate by replicate, and write the comparison's folder.

Replicate i of each run is compared with replicate i of the baseline when their seeds match
(same `seed` and `replicates` give common random numbers); runs with no seed in common are
refused unless `unpaired=True`. Scenarios given instead of runs are run on the fly with the
first run's seed and replicate count.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from labelmarket.api.folders import DEFAULT, Out, claim, named
from labelmarket.api.inputs import RunInput, load_inputs
from labelmarket.errors import UsageError
from labelmarket.model.charts.compare import write_comparison_charts
from labelmarket.model.charts.events import merged_events
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.results import folders
from labelmarket.model.results.comparison import Pairing
from labelmarket.model.results.comparison import compare as paired
from labelmarket.model.results.folders import check_out, staged_folder
from labelmarket.model.results.manifest import versions, write_json
from labelmarket.model.results.run import Run
from labelmarket.report.text import format_headline, with_sentences

PYTHON = "labelmarket.compare (Python API)"


@dataclass
class Comparison:
    """Every run against the baseline: headline outcomes and monthly differences."""

    runs: list[Run]  # the baseline first
    headline: pd.DataFrame  # per outcome: medians, difference and % with 5/50/95% ranges, text
    differences: pd.DataFrame  # per month, metric, client, vendor: difference 5/50/95%
    pairings: list[Pairing]
    unpaired: bool = False
    inputs: list[str] = field(default_factory=list)  # what each run was given as
    path: Path | None = None  # the folder it was written to

    def __str__(self) -> str:
        """One sentence per vendor outcome, e.g. 'Scale AI 2026 revenue: -32% [-50%, -9%] ...'."""
        return format_headline(self.headline, self.pairings)


def compare(
    baseline: RunInput,
    *others: RunInput,
    unpaired: bool = False,
    seed: int | None = None,
    replicates: int | None = None,
    workers: int | None = None,
    posterior: str | Path | bool | None = None,
    out: Out = None,
    force: bool = False,
    charts: bool = True,
    command: str = PYTHON,
) -> Comparison:
    """Compare each run with `baseline`, replicate by replicate; return the comparison.

    Each of them is a `Run`, a run folder, or a scenario (a YAML file or a bundled name) run
    on the fly with the first run's `seed` and `replicates` (or those given), on `workers`
    local processes, drawing from `posterior` when given. With `out`, the comparison's
    folder (headline.csv, differences.csv, charts/, manifest.json) is written there
    (`force=True` replaces an earlier labelmarket output there; `DEFAULT`:
    `runs/compare_<names>`, replaced by each new comparison; `charts=False` skips the
    PNG charts).

    Returns a `Comparison`: `headline` (per vendor outcome and period: each run's median,
    the paired difference and its % change with their 5-95% ranges, in the outcome's unit:
    $ per year for revenue, 0-1 for shares), `differences` (per month, metric, client and
    vendor: the paired difference's 5%, median and 95%) and, printed, one sentence per
    outcome::

        >>> effect = lm.compare(lm.run("no_deal", 4, 1), lm.run("historical", 4, 1))
        >>> print(effect)  # "Scale AI 2026 revenue: -31% [-34%, -28%] versus no_deal" ...
    """
    if not others:
        raise UsageError("compare needs a baseline and at least one other run")
    folder = named(out)
    if folder is not None:
        check_out(folder, force)  # before scenarios are simulated
    engine = LocalEngine(workers)
    try:
        runs = load_inputs([baseline, *others], seed, replicates, engine, posterior)
    finally:
        engine.close()
    headline, differences, pairings = paired(runs, unpaired)
    inputs = [str(r.path or r.name) if isinstance(i, Run) else str(i) for i, r in
              zip([baseline, *others], runs, strict=True)]  # fmt: skip
    found = Comparison(runs, with_sentences(headline), differences, pairings, unpaired, inputs)
    if out is DEFAULT:
        folder = default_folder(runs)
        claim(folder, force, default=True)
    if folder is not None:
        write_comparison(folder, found, command, charts)
    return found


def default_folder(runs: list[Run]) -> Path:
    """runs/compare_<names of the compared runs>, cut (with a hash) to one folder name."""
    name = "compare_" + "_vs_".join(r.name for r in runs[1:])
    if len(name.encode()) > 120:
        digest = hashlib.sha256(name.encode()).hexdigest()[:10]
        name = f"{name.encode()[:100].decode(errors='ignore')}_{digest}"
    return folders.default_out(name)


def write_comparison(out: Path, comparison: Comparison, command: str, charts: bool = True) -> Path:
    """Write the comparison's folder atomically: tables, charts (unless not), manifest."""
    with staged_folder(out) as folder:
        comparison.headline.to_csv(folder / "headline.csv", index=False)
        comparison.differences.to_csv(folder / "differences.csv", index=False)
        if charts:
            plot_comparison(comparison, folder / "charts")
        write_json(folder / "manifest.json", _manifest(comparison, command))
    comparison.path = out
    return out


def plot_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    """Draw the comparison charts (levels and paired differences) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    base, others = comparison.runs[0], comparison.runs[1:]
    events = merged_events(comparison.runs)
    return write_comparison_charts(base, others, comparison.differences, events, folder)


def _manifest(comparison: Comparison, command: str) -> dict:
    """What was compared, how replicates were paired, and with which versions."""
    runs, pairings = comparison.runs, comparison.pairings
    described: list[dict[str, Any]] = [
        {
            "input": given,
            "scenario": r.name,
            "scenario_sha256": r.manifest.get("scenario_sha256"),
            "seed": r.manifest.get("seed"),
            "replicates": r.replicates,
            "command": r.manifest.get("command"),
            "posterior": (r.manifest.get("posterior") or {}).get("file"),
        }
        for given, r in zip(comparison.inputs, runs, strict=True)
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
