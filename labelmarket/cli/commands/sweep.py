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

from labelmarket.api.sweep import DEFAULT, sweep, sweep_text, written_text
from labelmarket.cli.arguments import command_line
from labelmarket.cli.logs import say
from labelmarket.errors import FaultError


def run(args: argparse.Namespace) -> int:
    """Run the sweep, summarise it; return the exit code."""
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
