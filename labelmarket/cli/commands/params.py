"""`labelmarket params [SCENARIO]`: every parameter by the path `--set` takes, with its unit,
value (the default, or the scenario's own), allowed range and meaning; as a table, JSON or
CSV."""

from __future__ import annotations

import argparse
import json
import math

from labelmarket.api.parameters import parameters


def run(args: argparse.Namespace) -> int:
    """Print the parameters."""
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
