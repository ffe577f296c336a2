"""`labelmarket params`: every scenario parameter with its unit, default and meaning."""

from __future__ import annotations

import argparse

from labelmarket.api.scenarios import parameters


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`params` takes no options of its own."""


def run(args: argparse.Namespace) -> int:
    """Print the parameter table."""
    rows = parameters()
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = min(12, max(len(r[2]) for r in rows))
    w3 = max(len(r[3]) for r in rows)
    print(f"{'parameter':<{w0}}  {'unit':<{w1}}  {'default':<{w2}}  {'allowed':<{w3}}  meaning")
    for path, unit, default, allowed, meaning in rows:
        print(f"{path:<{w0}}  {unit:<{w1}}  {default:<{w2}}  {allowed:<{w3}}  {meaning}")
    return 0
