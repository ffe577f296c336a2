"""`labelmarket run`: run a scenario's replicates and write tables, charts and a manifest."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time

from labelmarket.api.run import DEFAULT, summary_text, written_text
from labelmarket.api.run import run as run_scenario
from labelmarket.cli.arguments import command_line
from labelmarket.cli.logs import say


def run(args: argparse.Namespace) -> int:
    """Run the scenario into its folder, print the summary."""
    entered = time.perf_counter()
    done = run_scenario(
        args.scenario, args.replicates, args.seed, overrides=args.overrides,
        out=args.out or DEFAULT, force=args.force, charts=not args.no_charts,
        record=args.record, posterior=args.posterior, workers=args.workers,
        scheduler=args.scheduler, progress=True, command=command_line(args.argv),
    )  # fmt: skip
    _light_exit(args)
    waited = _waited(entered)
    print(summary_text(done, waited))
    say(_timing(done.timings, waited))
    if done.ensemble is not None:
        say(f"parameters: each replicate drew from {done.ensemble.sample.path} "
            f"({len(set(done.ensemble.draws.tolist())):,} particles used)")  # fmt: skip
    say(written_text(done))
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
