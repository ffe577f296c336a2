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

from labelmarket.cli.arguments import add_output, add_posterior, replicates, seed_number, workers

HELP = "compare scenarios with a baseline: paired differences with 90%% intervals"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `compare`."""
    p = sub.add_parser(
        "compare",
        help=HELP,
        description="Compare runs (folders of `labelmarket run`) or scenario files (run on the "
        "fly with common seeds). The FIRST input is the baseline.",
    )
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run folder or scenario file")
    add_output(p, "runs/compare_<names>", "replace a non-empty output folder")
    p.add_argument("--seed", "-s", type=seed_number, help="root seed for scenario files")
    p.add_argument("--replicates", "-n", type=replicates, help="replicates for scenario files")
    p.add_argument("--workers", "-w", type=workers, help="worker processes for scenario files")
    p.add_argument(
        "--unpaired",
        action="store_true",
        help="compare runs whose seeds differ (every replicate with every other; says so)",
    )
    add_posterior(p, "each replicate of a scenario file run on the fly (one sample for all)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load, check, compare, write atomically, print the headline sentences."""
    from labelmarket.api.compare import default_out, write_comparison
    from labelmarket.api.inputs import load_inputs
    from labelmarket.errors import UsageError
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.results.folders import check_out
    from labelmarket.model.results.manifest import command_line
    from labelmarket.report.text import format_headline

    if len(args.runs) < 2:
        raise UsageError("compare needs a baseline and at least one other run")
    if args.out is not None:
        check_out(args.out, args.force)  # before scenario files are simulated
    engine = LocalEngine(args.workers)
    runs = load_inputs(args.runs, args.seed, args.replicates, engine, args.posterior)
    out: Path = args.out or default_out(runs)
    check_out(out, args.force)
    table, pairings = write_comparison(out, args.runs, runs, args.unpaired, command_line(args.argv))
    print(format_headline(table, pairings))
    print(f"\nwrote {out}/ (headline.csv, differences.csv, manifest.json, charts/)")
    return 0
