"""Random shocks: each replicate draws its own from its own generator, month after month.

A replicate's month t uses the next `per_month` standard normals of its stream (its
clients' delivery noise, client by vendor by tier, then its budget noise), so its numbers
never depend on the other replicates of its batch, on the block of months drawn at once,
or on the driver: the Mesa model draws from `model.rng`, the batched engine from a
generator seeded with the replicate's seed, and both streams are the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BLOCK_BYTES = 64 * 2**20
"""Most memory a block of pre-drawn shocks takes (months are drawn a block at a time)."""


class Shocks:
    """Pre-drawn shocks of a batch, a block of months at a time: (R, B, per_month)."""

    def __init__(self, generators: Sequence[np.random.Generator], per_month: int, months: int):
        self.generators = list(generators)
        self.per_month = per_month
        fit = BLOCK_BYTES // (8 * max(1, len(self.generators) * per_month))
        self.block = int(max(1, min(months, fit)))
        self.values = np.empty((len(self.generators), self.block, per_month))
        self.first = None  # month of the block's first row

    def at(self, t: int) -> tuple[np.ndarray, int]:
        """The block holding month t and its row there (draws the next block if needed)."""
        if self.first is None or not self.first <= t < self.first + self.block:
            for row, g in zip(self.values, self.generators, strict=True):
                g.standard_normal(out=row.reshape(-1))
            self.first = t
        return self.values, t - self.first
