"""`labelmarket params`: every scenario parameter with its unit, default and meaning."""

from __future__ import annotations

import argparse

HELP = "list every scenario parameter with its unit, default and meaning"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `params`."""
    sub.add_parser("params", help=HELP, description=HELP).set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the parameter table."""
    from labelmarket.model.scenario.listing import allowed_ranges, parameter_rows

    ranges = allowed_ranges()
    rows = [(*row, ranges[row[0]]) for row in parameter_rows()]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = min(12, max(len(r[2]) for r in rows))
    w3 = max(len(r[4]) for r in rows)
    print(f"{'parameter':<{w0}}  {'unit':<{w1}}  {'default':<{w2}}  {'allowed':<{w3}}  meaning")
    for path, unit, default, meaning, allowed in rows:
        print(f"{path:<{w0}}  {unit:<{w1}}  {default:<{w2}}  {allowed:<{w3}}  {meaning}")
    return 0
