"""`labelmarket params [SCENARIO]`: every parameter by the path `--set` takes, with its unit,
value (the default, or the scenario's own), allowed range and meaning; as a table, JSON or
CSV."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from labelmarket.cli.arguments import add_overrides, choice

FORMATS = ("text", "json", "csv")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`params`'s options."""
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


def run(args: argparse.Namespace) -> int:
    """Print the parameters."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.parameters import parameters

    table = parameters(args.scenario, args.overrides)
    if args.format == "csv":
        print(table.to_csv(index=False), end="")
    elif args.format == "json":
        records = [{k: _plain(v) for k, v in r.items()} for r in table.to_dict("records")]
        print(json.dumps(records, indent=1, ensure_ascii=False))
    else:
        rows = [{k: str(v) for k, v in r.items()} for r in table.to_dict("records")]
        print(_aligned(rows, args.scenario is not None))
    return 0


def _plain(value: object) -> object:
    """A value JSON writes as itself (NaN and unknown types as text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _aligned(rows: list[dict[str, str]], own: bool) -> str:
    """An aligned table: path, unit, value (or default), allowed, meaning."""
    heading = {"path": "parameter", "unit": "unit", "value": "value" if own else "default",
               "allowed": "allowed", "meaning": "meaning"}  # fmt: skip
    width = {k: max(len(heading[k]), *(len(r[k]) for r in rows)) for k in heading}
    width["value"] = min(width["value"], 14)
    lines = ["  ".join(f"{heading[k]:<{width[k]}}" for k in heading).rstrip()]
    for r in rows:
        lines.append("  ".join(f"{r[k]:<{width[k]}}" for k in heading).rstrip())
    return "\n".join(lines)
