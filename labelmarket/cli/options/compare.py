"""What `labelmarket compare` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import (
    add_output,
    add_posterior,
    replicates,
    seed_number,
    workers,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`compare`'s arguments and options."""
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
