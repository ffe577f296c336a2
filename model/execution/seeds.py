"""Every seed scheme in one place: each run's numbers come from (root seed, its own key).

Keys, not positions in a stream, make results independent of how runs are split into
chunks, workers or engines, and of interruptions: a replicate, a sweep run or a
calibration step always gets the same 63-bit seed for the same key.
"""

from __future__ import annotations

import numpy as np

DESIGN_STREAM = 2**31 - 1  # spawn key of a sweep design's generator (runs use (point, rep))

REPLICATE_SCHEME = (
    "numpy SeedSequence(seed).spawn(replicates); replicate i uses "
    "default_rng(int(child_i.generate_state(1, uint64)[0]) >> 1)"
)
SWEEP_SCHEME = (
    "run = point * replicates + replicate; its seed is "
    "int(SeedSequence(seed, spawn_key=(point, replicate)).generate_state(1, uint64)[0]) "
    ">> 1, with point = 0 when common_random_numbers (column `seed` of "
    "results.parquet); the design is drawn from SeedSequence(seed, spawn_key=(2**31 - 1,))"
)


def _first_word(sequence: np.random.SeedSequence) -> int:
    """A 63-bit integer seed from a SeedSequence (positive in a signed int64 too)."""
    return int(sequence.generate_state(1, np.uint64)[0]) >> 1


def replicate_seeds(seed: int, replicates: int) -> np.ndarray:
    """One seed per replicate of a scenario run, spawned from `seed` (run, compare)."""
    children = np.random.SeedSequence(seed).spawn(replicates)
    return np.array([_first_word(c) for c in children], np.uint64)


def sweep_seeds(
    seed: int, points: np.ndarray, replicates: np.ndarray, common: bool = False
) -> np.ndarray:
    """One seed per sweep run from (sweep seed, point, replicate), and from nothing else.

    With `common` (common random numbers) the point is left out: replicate r of every point
    sees the same shocks, so differences between points come from the parameters alone.
    """
    points = np.zeros_like(points) if common else points
    keys = zip(points, replicates, strict=True)
    return np.array(
        [_first_word(np.random.SeedSequence(seed, spawn_key=(int(p), int(r)))) for p, r in keys],
        dtype=np.uint64,
    )


def step_seeds(seed: int, *key: int, n: int) -> np.ndarray:
    """n seeds for one step of a calibration, fixed by (seed, *key).

    Keying seeds by generation and round makes a resumed calibration draw exactly the
    seeds the uninterrupted one would have.
    """
    state = np.random.SeedSequence([seed, *key]).generate_state(max(n, 1), np.uint64)[:n]
    return state >> np.uint64(1)


def design_generator(seed: int) -> np.random.Generator:
    """A sweep design's own generator, independent of every run's seed."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DESIGN_STREAM,)))
