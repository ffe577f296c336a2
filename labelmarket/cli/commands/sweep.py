"""`labelmarket sweep`: run a sweep file's design, resumably, locally or on a Dask cluster.

Everything is validated (sweep file, scenarios, parameter paths and ranges, the budget, the
output folder, the scheduler) before the output folder is created; it then appears with its
manifest in one rename, and parts are added as chunks finish. Exit codes: 0 all runs fine,
1 some runs failed (recorded with their errors) or a fault stopped the sweep (a lost worker
or scheduler, a full disk: the finished runs are kept), 2 bad input, 130 interrupted
(resumable).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from labelmarket.cli.arguments import (
    add_engine,
    add_output,
    add_posterior,
    positive,
    scenario_file,
)

HELP = "run a parameter sweep (grid, lhs, sobol, morris) and its sensitivity analysis"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `sweep` and its options."""
    p = sub.add_parser("sweep", help=HELP, description=HELP)
    p.add_argument(
        "sweep",
        type=Path,
        help="sweep YAML file, or a bundled sweep's name (labelmarket scenarios)",
    )
    add_engine(p, "the sweep")
    add_output(p, "runs/sweeps/<name>", "replace an earlier sweep in --out")
    p.add_argument(
        "--resume", action="store_true", help="finish an interrupted sweep in --out (or start it)"
    )
    p.add_argument("--limit", type=positive, help="run at most this many runs now (resume later)")
    p.add_argument("--chunk-size", type=positive, help="runs per batch (default: automatic)")
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    add_posterior(p, "each run (point x replicate)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan and check, run, summarise; return the exit code."""
    from labelmarket.api.sweep import run_sweep_folder
    from labelmarket.cli.arguments import engine_from, posterior_from
    from labelmarket.errors import FaultError
    from labelmarket.model.experiments import sweep_folder
    from labelmarket.model.experiments.sweep import plan_sweep
    from labelmarket.model.results.folders import default_out, writing
    from labelmarket.model.results.manifest import command_line

    args.sweep = scenario_file(args.sweep, sweeps=True)
    plan = plan_sweep(args.sweep)
    if args.posterior is not None:  # the fitted values the design leaves, drawn per run
        plan = plan_sweep(args.sweep, posterior_from(Path(plan.scenario["file"]), args.posterior))
    out: Path = args.out or default_out("sweeps", plan.spec.name)
    existing = sweep_folder.claim(out, plan, args.resume, args.force, args.chunk_size)
    engine = engine_from(args)
    try:
        with writing(out):
            outcome = run_sweep_folder(
                plan, out, engine, command_line(args.argv), existing, args.chunk_size,
                args.limit, charts=not args.no_charts,
            )  # fmt: skip
    except FaultError as exc:
        kept = f"the runs finished so far are kept in {out}/parts" if out.is_dir() else ""
        again = f"labelmarket sweep {args.sweep} --out {out} --resume"
        raise FaultError(f"{exc}; {kept + '; ' if kept else ''}once fixed, run: {again}") from None
    except KeyboardInterrupt:
        print(f"labelmarket: interrupted while summarising; every run is kept in {out}/parts; "
              "add --resume to write the summaries", file=sys.stderr)  # fmt: skip
        return 130
    finally:
        engine.close()
    if outcome.interrupted:
        print(
            f"labelmarket: interrupted; the runs finished so far are kept in {out}/parts; "
            f"finish with: labelmarket sweep {args.sweep} --out {out} --resume",
            file=sys.stderr,
        )
        return 130
    if outcome.left:
        print(f"ran {outcome.ran:,} runs in {outcome.elapsed:.1f} s; {outcome.left:,} left: "
              "add --resume to finish")  # fmt: skip
        return 0
    return _summarise(outcome, charts=not args.no_charts)


def _summarise(outcome, charts: bool) -> int:
    """Print what the finished sweep found; exit code 1 if some runs failed."""
    from labelmarket.report.text import sensitivity_table

    spec, results, table = outcome.plan.spec, outcome.results, outcome.sensitivity
    failed = int(results["error"].notna().sum())
    rate = outcome.ran / outcome.elapsed if outcome.elapsed > 0 else float("nan")
    print(f"{spec.name}: {len(results):,} runs ({outcome.plan.points:,} points x "
          f"{spec.replicates} replicates), {failed:,} failed; this session ran "
          f"{outcome.ran:,} in {outcome.elapsed:.1f} s ({rate:,.0f} runs/s)")  # fmt: skip
    if table is not None:
        print(sensitivity_table(table))
    for note in outcome.notes:
        print(f"note: {note}")
    if failed:
        first = results.loc[results["error"].notna()].iloc[0]
        print(f"{failed} runs failed, e.g. run {first['run']}: {first['error']}")
    written = "results.parquet, summary.csv, design.csv, manifest.json"
    written += ", sensitivity.csv" if table is not None else ""
    print(f"\nwrote {outcome.out}/ ({written}{', charts/' if charts else ''})")
    return 1 if failed else 0
