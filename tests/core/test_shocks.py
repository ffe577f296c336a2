"""model.core.shocks: a replicate's month t reads the next draws of its own stream, whatever
the block of months drawn at once or the other replicates of its batch."""

from __future__ import annotations

import numpy as np
import pytest

from labelmarket.model.core import shocks
from labelmarket.model.core.shocks import Shocks

PER_MONTH, MONTHS = 5, 6  # e.g. 1 client x 2 vendors x 2 tiers + 1 budget shock


def _months(seeds, replicate: int) -> np.ndarray:
    """Replicate `replicate`'s shocks of every month, (MONTHS, PER_MONTH)."""
    batch = Shocks([np.random.default_rng(s) for s in seeds], PER_MONTH, MONTHS)
    rows = []
    for t in range(MONTHS):
        values, j = batch.at(t)
        rows.append(values[replicate, j].copy())
    return np.array(rows)


def test_month_t_reads_draws_t_per_month_onward_of_the_replicates_own_stream() -> None:
    """Replicate r's month t = its generator's standard normals [t K, (t + 1) K)."""
    stream = np.random.default_rng(7).standard_normal(MONTHS * PER_MONTH)
    assert _months([3, 7], 1) == pytest.approx(stream.reshape(MONTHS, PER_MONTH), abs=0)


def test_a_replicates_shocks_do_not_depend_on_the_block_size(monkeypatch) -> None:
    """Blocks of two months (BLOCK_BYTES = 2 x 8 bytes x 2 replicates x K) give the draws
    of one block of all six."""
    whole = _months([3, 7], 1)
    monkeypatch.setattr(shocks, "BLOCK_BYTES", 2 * 8 * 2 * PER_MONTH)
    assert Shocks([np.random.default_rng(3)] * 2, PER_MONTH, MONTHS).block == 2
    assert _months([3, 7], 1) == pytest.approx(whole, abs=0)


def test_a_replicates_shocks_do_not_depend_on_the_other_replicates() -> None:
    """Seed 7 alone, second of two, or third of three: the same numbers."""
    alone = _months([7], 0)
    assert _months([3, 7], 1) == pytest.approx(alone, abs=0)
    assert _months([11, 3, 7], 2) == pytest.approx(alone, abs=0)
