"""`labelmarket run`: run a scenario's replicates and write tables, charts and a manifest."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from pathlib import Path

from labelmarket.cli.arguments import (
    add_engine,
    add_output,
    add_overrides,
    add_posterior,
    record_mode,
    replicates,
    scenario_file,
    seed_number,
)

HELP = "run a scenario and write tables, charts and a manifest"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `run` and its options."""
    p = sub.add_parser("run", help=HELP, description=HELP)
    p.add_argument(
        "scenario", type=Path, help="scenario YAML file, or a bundled scenario's name (historical)"
    )
    p.add_argument(
        "--replicates", "-n", type=replicates, default=20, help="replicate runs (default: 20)"
    )
    p.add_argument(
        "--seed", "-s", type=seed_number, default=0,
        help="root seed; replicate seeds are spawned from it (default: 0)",
    )  # fmt: skip
    add_overrides(p)
    add_output(p, "runs/<scenario name>", "replace a non-empty output folder")
    add_engine(p)
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p.add_argument(
        "--record", type=record_mode, default="full", metavar="full|summary",
        help="full: every client x vendor pair's spend (default); summary: only totals per "
        "vendor and per client, so memory does not grow with clients x vendors",
    )  # fmt: skip
    add_posterior(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load and check everything, size the run, simulate and write it, print the summary."""
    entered = time.perf_counter()
    from labelmarket.api.run import run_to_folder
    from labelmarket.cli.arguments import engine_from, posterior_from
    from labelmarket.errors import FaultError
    from labelmarket.model.results.folders import check_out, default_out
    from labelmarket.model.results.manifest import command_line
    from labelmarket.model.scenario.files import load_scenario
    from labelmarket.report.text import format_summary

    args.scenario = scenario_file(args.scenario)
    scenario, resolved = load_scenario(args.scenario, args.overrides)
    out: Path = args.out or default_out(scenario.name)
    check_out(out, args.force)
    posterior = posterior_from(args.scenario, args.posterior)
    engine = engine_from(args)
    logging.getLogger("labelmarket").debug("%s on %r", args.scenario, engine)
    try:
        sim = run_to_folder(
            out, scenario, resolved, args.scenario, args.replicates, args.seed, engine,
            command_line(args.argv), args.overrides, charts=not args.no_charts,
            record=args.record, posterior=posterior,
        )  # fmt: skip
    except FaultError as exc:  # a lost worker or scheduler, a full disk: say what is left
        raise FaultError(f"{exc}; nothing was written to {out}") from None
    finally:
        engine.close()
    _light_exit(args)
    waited = _waited(entered)
    assert sim.summary is not None
    print(format_summary(sim.summary, sim.world, scenario.start, args.replicates, waited))
    print(_timing(sim.timings, waited))
    if sim.ensemble is not None:
        print(f"parameters: each replicate drew from {sim.ensemble.sample.path} "
              f"({len(set(sim.ensemble.draws.tolist())):,} particles used)")  # fmt: skip
    files = "timeseries.parquet/, summary.csv, defections.csv, decisions.csv, manifest.json"
    print(f"\nwrote {out}/ ({files}{'' if args.no_charts else ', charts/'})")
    return 0


def _light_exit(args: argparse.Namespace) -> None:
    """When the process runs only this command, spare its exit a last full garbage collection.

    At exit Python walks every object pandas, pyarrow and matplotlib made (0.2 s on a
    quiet machine, 2 s on a busy one) after the time is printed; frozen objects are
    skipped. Not when called from a Python session (a test, a notebook), where frozen
    garbage would stay.
    """
    if args.argv == sys.argv[1:]:
        gc.freeze()


def _waited(entered: float) -> float:
    """Seconds the user has waited: since the process started (Linux), else since `entered`.

    A process much older than the command (the CLI called from Python, a test) counts
    from the command's start instead.
    """
    since_entry = time.perf_counter() - entered
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return since_entry
    return age if since_entry <= age < since_entry + 5.0 else since_entry


def _timing(timings: dict[str, float], waited: float) -> str:
    """Where the time went, so the figure above is not mistaken for the engine's alone."""
    parts = [f"simulating and writing the tables {timings.get('simulate_and_write', 0):.2f} s"]
    if "charts" in timings:
        parts.append(f"charts {timings['charts']:.2f} s")
    other = waited - sum(timings.values())
    parts.append(f"start-up, loading and sizing {max(other, 0):.2f} s")
    return f"time: {waited:.2f} s in all ({', '.join(parts)})"
