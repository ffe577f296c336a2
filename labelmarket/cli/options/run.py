"""What `labelmarket run` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import (
    add_engine,
    add_output,
    add_overrides,
    add_posterior,
    choice,
    replicates,
    seed_number,
)

RECORD_MODES = ("full", "summary")
"""What `--record` accepts."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`run`'s arguments and options."""
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
    add_output(
        p, "runs/<scenario name>, replaced by each new run",
        "replace an earlier labelmarket output in an explicit --out",
    )  # fmt: skip
    add_engine(p)
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    summary = "summary: totals per vendor and per client, no client x vendor rows, for large worlds"
    # RECORD_MODES is the API's RECORDS, written here so --help needs no API (a test checks it)
    p.add_argument(
        "--record", type=choice(RECORD_MODES, summary), default="full", metavar="full|summary",
        help="full: every client x vendor pair's spend (default); summary: only totals per "
        "vendor and per client, so memory does not grow with clients x vendors",
    )  # fmt: skip
    add_posterior(p)
