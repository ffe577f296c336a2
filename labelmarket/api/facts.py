"""The corpus facts ledger: every fact the calibration rests on, and the sources' conflicts."""

from __future__ import annotations

from pathlib import Path

from labelmarket.bundled import seeds_dir
from labelmarket.calibration.facts import Ledger, format_facts, load_ledger
from labelmarket.errors import UsageError


def facts(seeds: str | Path | None = None) -> Ledger:
    """Read and check the facts ledger in `seeds` (default: the one shipped with labelmarket).

    Each fact's phrases are checked against the source articles when they are at hand.
    Returns the `Ledger`: its `facts` (value, unit, date, entities, sources, confidence)
    and the `conflicts` between sources with how each is resolved::

        >>> stake = next(f for f in lm.facts().facts if f.id == "meta_scale_stake_fraction")
        >>> stake.value
        0.49
    """
    folder = Path(seeds) if seeds is not None else seeds_dir()
    if not folder.is_dir():
        raise UsageError(f"{folder}: ledger folder not found (give the folder as `seeds=`)")
    corpus = folder.resolve().parent.parent / "shared" / "seeds"
    return load_ledger(folder, corpus if corpus.is_dir() else None)


def facts_text(seeds: str | Path | None = None, conflicts: bool = False) -> str:
    """The ledger as a table, or its conflicts between sources, as `labelmarket facts` prints."""
    return format_facts(facts(seeds), conflicts=conflicts)
