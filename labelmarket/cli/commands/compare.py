"""`labelmarket compare`: scenarios side by side, and their paired differences from a baseline.

The first input is the baseline; every other one is compared with it replicate by replicate
(matched by seed). Inputs are run folders or scenario files, the latter run on the fly with
the seed and replicate count of the first run folder (or --seed / --replicates), and with
--posterior each replicate drawing its fitted parameters from one posterior sample, so
replicates pair on both their random numbers and their parameters.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import (
    add_output,
    add_posterior,
    command_line,
    replicates,
    seed_number,
    workers,
)
from labelmarket.cli.logs import say


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`compare`'s options."""
    p.description = (
        "Compare runs (folders of `labelmarket run`) or scenario files (run on the fly with "
        "common seeds). The FIRST input is the baseline."
    )
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run folder or scenario file")
    add_output(
        p, "runs/compare_<names>, replaced by each new comparison",
        "replace an earlier labelmarket output in an explicit --out",
    )  # fmt: skip
    p.add_argument("--seed", "-s", type=seed_number, help="root seed for scenario files")
    p.add_argument("--replicates", "-n", type=replicates, help="replicates for scenario files")
    p.add_argument("--workers", "-w", type=workers, help="worker processes for scenario files")
    p.add_argument(
        "--unpaired",
        action="store_true",
        help="compare runs whose seeds differ (every replicate with every other; says so)",
    )
    add_posterior(p, "each replicate of a scenario file run on the fly (one sample for all)")
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")


def run(args: argparse.Namespace) -> int:
    """Compare, write the folder, print the headline sentences."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.compare import DEFAULT, compare

    found = compare(
        *args.runs, unpaired=args.unpaired, seed=args.seed, replicates=args.replicates,
        workers=args.workers, posterior=args.posterior, out=args.out or DEFAULT,
        force=args.force, charts=not args.no_charts, command=command_line(args.argv),
    )  # fmt: skip
    print(found)
    charts = "" if args.no_charts else ", charts/"
    say(f"wrote {found.path}/ (headline.csv, differences.csv, manifest.json{charts})")
    return 0
