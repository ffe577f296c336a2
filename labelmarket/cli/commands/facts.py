"""`labelmarket facts`: the corpus facts ledger, or the conflicts between its sources."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "print the corpus facts ledger (seeds/) as a table"


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `facts`."""
    p = sub.add_parser("facts", help=HELP, description=HELP)
    p.add_argument(
        "--conflicts", action="store_true", help="show the conflicts between sources instead"
    )
    p.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="ledger folder (default: the one shipped with labelmarket)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the ledger, or its conflicts."""
    from labelmarket.bundled import seeds_dir
    from labelmarket.calibration.facts import format_facts, load_ledger
    from labelmarket.errors import UsageError

    seeds = args.seeds or seeds_dir()
    if not seeds.is_dir():
        raise UsageError(f"{seeds}: ledger folder not found (use --seeds DIR)")
    corpus = seeds.resolve().parent.parent / "shared" / "seeds"
    ledger = load_ledger(seeds, corpus if corpus.is_dir() else None)
    print(format_facts(ledger, conflicts=args.conflicts))
    return 0
