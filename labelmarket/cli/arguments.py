"""Argument types and option groups every sub-command shares, defined once.

Whole numbers accept `100000`, `100_000` and `1e5`; out-of-range numbers are refused by
argparse itself (exit code 2, one line naming the option). Every count has a ceiling, set
here and nowhere else (docs/limits.md), so an absurd number is refused before any work.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_REPLICATES = 1_000_000
"""Replicates of one run or comparison: 10,000 simulate in seconds; a million is a long job."""
MAX_WORKERS = 1_024
"""Local worker processes (each one a process: more than the cores only costs memory)."""
MAX_SEED = 2**63 - 1
"""Root seeds fit a signed 64-bit integer, like every seed a run records."""
MAX_BUDGET = 1_000_000_000
"""Simulations one calibration may spend (the default fit uses under 200,000)."""
MAX_RUNS = 10_000_000
"""Runs per sweep session (--limit) and per chunk (--chunk-size), like a sweep's max_runs."""


class Parser(argparse.ArgumentParser):
    """argparse, refusing `--option=--`, which argparse itself turns into an empty list."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected a value, got '--'")
        return super()._get_values(action, arg_strings)


def whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    """argparse type: a whole number from `minimum` to `maximum`."""

    def parse(text: str) -> int:
        cleaned = text.replace("_", "").strip()
        if len(cleaned) > 30:  # more digits than any allowed value: refuse before parsing
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {minimum} to {maximum:,}, got {text[:30]!r}..."
            )
        try:
            value = int(cleaned)
        except ValueError:
            try:
                number = float(cleaned)
            except ValueError:
                number = float("nan")
            if not number.is_integer():
                raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
            value = int(number)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:,}, got {text!r}")
        return value

    return parse


positive = whole_number(1, MAX_RUNS)
seed_number = whole_number(0, MAX_SEED)
replicates = whole_number(1, MAX_REPLICATES)
workers = whole_number(1, MAX_WORKERS)
budget = whole_number(100, MAX_BUDGET)


def choice(allowed: tuple[str, ...], meaning: str) -> Callable[[str], str]:
    """argparse type: one of `allowed` (what they mean said in the message)."""

    def parse(text: str) -> str:
        if text not in allowed:
            raise argparse.ArgumentTypeError(
                f"expected {' or '.join(allowed)} ({meaning}), got {text!r}"
            )
        return text

    return parse


def add_overrides(p: argparse.ArgumentParser, what: str = "override a field") -> None:
    """--set PATH=VALUE, repeatable."""
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help=f"{what}, e.g. --set 'vendors.Scale AI.price.expert=80' (repeatable)",
    )


def add_engine(p: argparse.ArgumentParser, what: str = "the replicates") -> None:
    """--workers N (local processes) or --scheduler ADDRESS (a Dask cluster), not both."""
    p.add_argument(
        "--workers",
        "-w",
        type=workers,
        help="local worker processes (default: all cores); results do not depend on it",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=f"run {what} on a Dask cluster (tcp://HOST:PORT); same numbers as locally",
    )


def add_output(p: argparse.ArgumentParser, default: str, force: str) -> None:
    """--out DIR and --force."""
    p.add_argument("--out", "-o", type=Path, help=f"output folder (default: {default})")
    p.add_argument("--force", action="store_true", help=force)


def add_posterior(p: argparse.ArgumentParser, what: str = "each replicate") -> None:
    """--posterior [WHERE]: draw the fitted parameters from a calibration's posterior sample."""
    p.add_argument(
        "--posterior",
        nargs="?",
        const=True,
        default=None,
        metavar="WHERE",
        help=f"{what} draws its fitted parameters from a posterior sample (a calibration "
        "folder or *.posterior.parquet; default: the sample beside the scenario, else the "
        "bundled calibrated one), so intervals carry parameter as well as random uncertainty",
    )


def command_line(argv: list[str]) -> str:
    """How a manifest records the command that wrote a folder."""
    return "labelmarket " + shlex.join(argv)
