"""What `labelmarket params` accepts: its arguments, options and --help."""

from __future__ import annotations

import argparse
from pathlib import Path

from labelmarket.cli.arguments import add_overrides, choice

FORMATS = ("text", "json", "csv")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`params`'s arguments and options."""
    p.add_argument(
        "scenario", type=Path, nargs="?", default=None,
        help="a scenario (file or bundled name): its own paths and values "
        "(default: every parameter with placeholders and defaults)",
    )  # fmt: skip
    add_overrides(p, "override a field first")
    p.add_argument(
        "--format", type=choice(FORMATS, "a table, JSON records or CSV"), default="text",
        metavar="text|json|csv", help="how to print it (default: text, an aligned table)",
    )  # fmt: skip
