"""`labelmarket facts`: the corpus facts ledger, or the conflicts between its sources."""

from __future__ import annotations

import argparse

from labelmarket.api.facts import facts_text


def run(args: argparse.Namespace) -> int:
    """Print the ledger, or its conflicts."""
    print(facts_text(args.seeds, conflicts=args.conflicts))
    return 0
