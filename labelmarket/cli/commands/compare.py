"""`labelmarket compare`: scenarios side by side, and their paired differences from a baseline.

The first input is the baseline; every other one is compared with it replicate by replicate
(matched by seed). Inputs are run folders or scenario files, the latter run on the fly with
the seed and replicate count of the first run folder (or --seed / --replicates).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelmarket.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.results.run_folder import Run

DEFAULT_SEED, DEFAULT_REPLICATES = 0, 20


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `compare`."""
    p = subparsers.add_parser(
        "compare",
        help="compare scenarios with a baseline: paired differences with 90%% intervals",
        description="Compare runs (folders of `labelmarket run`) or scenario files (run on the "
        "fly with common seeds). The FIRST input is the baseline.",
    )
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run folder or scenario file")
    p.add_argument("--out", "-o", type=Path, help="output folder (default: runs/compare_<names>)")
    p.add_argument("--seed", "-s", type=int, help="root seed for scenario files")
    p.add_argument("--replicates", "-n", type=int, help="replicates for scenario files")
    p.add_argument("--workers", "-w", type=int, help="worker processes for scenario files")
    p.add_argument(
        "--unpaired",
        action="store_true",
        help="compare runs whose seeds differ (every replicate with every other; says so)",
    )
    p.add_argument("--force", action="store_true", help="replace a non-empty output folder")
    p.set_defaults(handler=run)


def load_inputs(args: argparse.Namespace) -> list[Run]:
    """Run folders as they are; scenario files run with the folders' seed and replicates."""
    from labelmarket.api.inputs import is_scenario_file, read_run, run_scenario

    folders = {p: read_run(p) for p in args.runs if not is_scenario_file(p)}
    first = next(iter(folders.values()), None)
    seed = args.seed if args.seed is not None else _from(first, "seed", DEFAULT_SEED)
    reps = args.replicates or _from(first, "replicates", DEFAULT_REPLICATES)
    if seed < 0 or reps < 1:
        raise UsageError("--seed must be >= 0 and --replicates >= 1")
    return [
        folders[p] if p in folders else run_scenario(p, seed, reps, args.workers) for p in args.runs
    ]


def _from(run: Run | None, key: str, default: int) -> int:
    """A number from a run's manifest, or the default without a run folder."""
    return int(run.manifest.get(key, default)) if run is not None else default


def compare_runs(runs: list[Run], unpaired: bool) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Check, pair and difference every run against the first: (headline, monthly, pairings)."""
    import pandas as pd

    from labelmarket.model.results.comparison import (
        ComparisonError,
        check_comparable,
        headline,
        pair_replicates,
        time_differences,
    )

    try:
        check_comparable(runs)
        names = [r.name for r in runs]
        if len(set(names)) != len(names):
            raise ComparisonError(f"two inputs have the same scenario name ({', '.join(names)})")
        base, others = runs[0], runs[1:]
        pairings = [pair_replicates(base, other, unpaired) for other in others]
    except ComparisonError as exc:
        raise UsageError(str(exc)) from None
    heads = [headline(base, o, p) for o, p in zip(others, pairings, strict=True)]
    diffs = [time_differences(base, o, p) for o, p in zip(others, pairings, strict=True)]
    return pd.concat(heads, ignore_index=True), pd.concat(diffs, ignore_index=True), pairings


def run(args: argparse.Namespace) -> int:
    """Load, check, compare, write atomically, print the headline table."""
    if len(args.runs) < 2:
        raise UsageError("compare needs a baseline and at least one other run")
    from labelmarket.api.inputs import merged_events
    from labelmarket.model.results.folders import check_out, staged_folder

    missing = [p for p in args.runs if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: run folder or scenario file not found")
    runs = load_inputs(args)
    out: Path = args.out or Path("runs") / ("compare_" + "_vs_".join(r.name for r in runs[1:]))
    check_out(out, args.force)
    table, diffs, pairings = compare_runs(runs, args.unpaired)

    from labelmarket.model.charts.compare import write_comparison_charts
    from labelmarket.model.results.manifest import versions, write_json

    with staged_folder(out) as folder:
        table.to_csv(folder / "headline.csv", index=False)
        diffs.to_csv(folder / "differences.csv", index=False)
        (folder / "charts").mkdir()
        base, others = runs[0], runs[1:]
        write_comparison_charts(base, others, diffs, merged_events(runs), folder / "charts")
        write_json(folder / "manifest.json", _manifest(args, runs, pairings, versions()))
    print(format_headline(table, pairings))
    print(f"\nwrote {out}/ (headline.csv, differences.csv, manifest.json, charts/)")
    return 0


def _manifest(args: argparse.Namespace, runs: list[Run], pairings: list, vers: dict) -> dict:
    """What was compared, how replicates were paired, and with which versions."""
    inputs: list[dict[str, Any]] = [
        {
            "input": str(path),
            "scenario": r.name,
            "scenario_sha256": r.manifest.get("scenario_sha256"),
            "seed": r.manifest.get("seed"),
            "replicates": r.replicates,
            "command": r.manifest.get("command"),
        }
        for path, r in zip(args.runs, runs, strict=True)
    ]
    return {
        "command": "labelmarket compare " + " ".join(map(str, args.runs)),
        "baseline": runs[0].name,
        "inputs": inputs,
        "pairing": {r.name: p.describe() for r, p in zip(runs[1:], pairings, strict=True)},
        "interval": "5-95% range of per-replicate differences (scenario minus baseline)",
        "versions": vers,
    }


def format_headline(table: pd.DataFrame, pairings: list) -> str:
    """The vendor-level headline sentences, one per line, grouped by scenario."""
    lines = []
    groups = table.groupby(["scenario", "baseline"], sort=False)
    for pairing, ((scenario, baseline), part) in zip(pairings, groups, strict=True):
        lines.append(f"\n{scenario} versus {baseline} ({pairing.describe()})")
        vendor_rows = part[part["outcome"] != "spend"]
        lines += [f"  {text}" for text in vendor_rows["text"]]
    return "\n".join(lines).lstrip("\n")
