"""Whole-horizon paths the dashboard reveals month by month: a baseline and replicate bands.

The page steps one replicate of the scenario with the Mesa model (replicate 0 of
`labelmarket run --seed S`). Beside it, the batched engine runs the same seeds for the
whole horizon at once: the baseline scenario's replicate 0 (the same shocks, so the gap
between the two lines is the scenario's effect, not chance) and, when asked, N replicates
of each for a 5-95% band. Both drivers give the same numbers for the same seed, so the
scenario's band is centred on the same world the page steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds

LOW, HIGH = 5, 95


@dataclass
class Trajectory:
    """One world's monthly series: replicate 0, and the 5% and 95% across replicates."""

    share: np.ndarray  # (T, V) percent of market revenue
    workforce: np.ndarray  # (T, V) workers, both tiers
    spend: np.ndarray  # (T, C, V) $ per month
    share_band: np.ndarray | None = None  # (2, T, V)
    workforce_band: np.ndarray | None = None  # (2, T, V)


def share_of(revenue: np.ndarray) -> np.ndarray:
    """Revenue (..., V) as percent of its total over vendors."""
    total = revenue.sum(axis=-1, keepdims=True)
    return np.divide(revenue, total, out=np.zeros_like(revenue), where=total > 0) * 100


def series(history: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Market share (%), workforce and client x vendor spend of a (T, R, ...) history."""
    return {
        "share": share_of(history["revenue"]),
        "workforce": history["workforce"].sum(axis=-1),
        "spend": history["spend"].sum(axis=-1),
    }


def trajectory(world: World, seed: int, replicates: int) -> Trajectory:
    """The world's replicate 0 for `seed` and, with more than one replicate, its bands."""
    result = run_batch(world, replicate_seeds(seed, max(replicates, 1)))
    found = series(result.history)
    path = Trajectory(found["share"][:, 0], found["workforce"][:, 0], found["spend"][:, 0])
    if replicates > 1:
        path.share_band = np.percentile(found["share"], [LOW, HIGH], axis=1)
        path.workforce_band = np.percentile(found["workforce"], [LOW, HIGH], axis=1)
    return path
