"""`labelmarket report`: one self-contained report.html for a run (optionally versus a baseline)
or for a sweep (its design, outcomes, sensitivity, charts and scenario discoveries).

A run's report opens with the question, the answer with its interval and the three charts
that carry it; then outcomes by vendor, the comparison, every chart (embedded), the facts
ledger beside simulated values for historical or calibrated runs, the scenario and the
manifest. It is written to a temporary file and renamed, so it is never half there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.logs import say


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`report`'s options."""
    p.add_argument(
        "run_dir",
        type=Path,
        metavar="RUN_DIR",
        help="folder of `labelmarket run` or `labelmarket sweep`",
    )
    p.add_argument(
        "--compare",
        type=Path,
        metavar="RUN_DIR",
        help="baseline run folder (or scenario file) to compare with, replicate by replicate",
    )
    p.add_argument("--out", "-o", type=Path, help="output file (default: RUN_DIR/report.html)")
    p.add_argument("--seeds", type=Path, help="facts ledger folder (default: the bundled one)")
    p.add_argument(
        "--facts",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the facts ledger beside simulated values (default: historical or "
        "calibrated scenarios only)",
    )
    p.add_argument("--unpaired", action="store_true", help="allow a baseline with other seeds")


def run(args: argparse.Namespace) -> int:
    """Write the report and say where."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.report import write_report

    out, size = write_report(
        args.run_dir, out=args.out, baseline=args.compare, unpaired=args.unpaired,
        facts=args.facts, seeds=args.seeds,
    )  # fmt: skip
    say(f"wrote {out} ({size / 1e6:.1f} MB, self-contained)")
    return 0
