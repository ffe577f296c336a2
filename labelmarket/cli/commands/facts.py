"""`labelmarket facts`: the corpus facts ledger, or the conflicts between its sources."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    """`facts`'s options."""
    p.add_argument(
        "--conflicts", action="store_true", help="show the conflicts between sources instead"
    )
    p.add_argument(
        "--seeds",
        type=Path,
        default=None,
        help="ledger folder (default: the one shipped with labelmarket)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the ledger, or its conflicts."""
    # the API loads when the command runs, not for its --help
    from labelmarket.api.facts import facts_text

    print(facts_text(args.seeds, conflicts=args.conflicts))
    return 0
