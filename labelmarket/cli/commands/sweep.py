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
    command_line,
    positive,
)
from labelmarket.cli.logs import say
from labelmarket.errors import FaultError


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`sweep`'s options."""
    p.add_argument(
        "sweep",
        type=Path,
        help="sweep YAML file, or a bundled sweep's name (labelmarket scenarios)",
    )
    add_engine(p, "the sweep")
    add_output(
        p, "runs/sweeps/<name>; an earlier sweep there is kept: --resume finishes it",
        "start again over an earlier sweep in --out",
    )  # fmt: skip
    p.add_argument(
        "--resume", action="store_true", help="finish an interrupted sweep in --out (or start it)"
    )
    p.add_argument("--limit", type=positive, help="run at most this many runs now (resume later)")
    p.add_argument("--chunk-size", type=positive, help="runs per batch (default: automatic)")
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    add_posterior(p, "each run (point x replicate)")


def run(args: argparse.Namespace) -> int:
    """Run the sweep, summarise it; return the exit code."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.sweep import DEFAULT, sweep, sweep_text, written_text

    try:
        outcome = sweep(
            args.sweep, out=args.out or DEFAULT, force=args.force, resume=args.resume,
            limit=args.limit, chunk_size=args.chunk_size, charts=not args.no_charts,
            posterior=args.posterior, workers=args.workers, scheduler=args.scheduler,
            command=command_line(args.argv),
        )  # fmt: skip
    except FaultError as exc:
        again = f"labelmarket sweep {args.sweep} --out {exc.place} --resume"
        raise FaultError(f"{exc}; once fixed, run: {again}") from None
    again = f"labelmarket sweep {args.sweep} --out {outcome.out} --resume"
    if outcome.interrupted:
        print(f"labelmarket: interrupted; the runs finished so far are kept in {outcome.out}/"
              f"parts; finish with: {again}", file=sys.stderr)  # fmt: skip
        return 130
    if outcome.left:
        say(f"{sweep_text(outcome)}: add --resume to finish")
        return 0
    print(sweep_text(outcome))
    say(written_text(outcome))
    return 1 if outcome.failed else 0
