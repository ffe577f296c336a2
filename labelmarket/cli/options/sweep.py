"""What `labelmarket sweep` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import (
    add_engine,
    add_output,
    add_posterior,
    positive,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`sweep`'s arguments and options."""
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
