"""Argument types and option groups every sub-command shares, defined once.

Whole numbers accept `100000`, `100_000` and `1e5`; out-of-range numbers are refused by
argparse itself (exit code 2, one line naming the option).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labelmarket.model.execution.engine import Engine


def whole_number(minimum: int) -> Callable[[str], int]:
    """argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            try:
                number = float(text.replace("_", ""))
            except ValueError:
                number = float("nan")
            if not number.is_integer():
                raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
            value = int(number)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


positive = whole_number(1)
seed_number = whole_number(0)


def scenario_file(text: str | Path, sweeps: bool = False) -> Path:
    """A scenario (or sweep) argument: a path, or the name of one shipped with labelmarket."""
    from labelmarket.bundled import resolve_scenario

    return resolve_scenario(text, sweeps)


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
        type=positive,
        help="local worker processes (default: all cores); results do not depend on it",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=f"run {what} on a Dask cluster (tcp://HOST:PORT); same numbers as locally",
    )


def engine_from(args: argparse.Namespace) -> Engine:
    """The engine the options ask for (checked before anything runs)."""
    from labelmarket.model.execution.engine import make_engine

    return make_engine(args.workers, args.scheduler)


def add_output(p: argparse.ArgumentParser, default: str, force: str) -> None:
    """--out DIR and --force."""
    p.add_argument("--out", "-o", type=Path, help=f"output folder (default: {default})")
    p.add_argument("--force", action="store_true", help=force)
