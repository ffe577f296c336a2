"""The batched engine: the compiled monthly rules over many replicates at once.

Replicates sit on the first axis of every array; each has its own generator built from its
own seed, so splitting replicates into chunks or across workers never changes a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from labelmarket.model.core.batch import Batch, starting_state
from labelmarket.model.core.compiled import mark_warm
from labelmarket.model.core.record import History
from labelmarket.model.core.state import LOOKBACK
from labelmarket.model.core.world import World

__all__ = ["RunResult", "run_batch", "starting_state", "state_bytes"]


def canonical_defections(defections: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Order defections by (replicate, month, client, vendor), whatever the chunking."""
    order = np.lexsort(
        (defections["vendor"], defections["client"], defections["month"], defections["replicate"])
    )
    return {k: v[order] for k, v in defections.items()}


@dataclass
class RunResult:
    """Monthly history (arrays shaped (T, R, ...)) and defections (one entry per defection)."""

    history: dict[str, np.ndarray]
    defections: dict[str, np.ndarray]
    seeds: np.ndarray

    @property
    def replicates(self) -> int:
        """Number of replicates in this result."""
        return len(self.seeds)

    @classmethod
    def concat(cls, parts: Sequence[RunResult]) -> RunResult:
        """Join results of consecutive replicate chunks, renumbering replicates."""
        offsets = np.cumsum([0] + [p.replicates for p in parts[:-1]])
        history = {
            k: np.concatenate([p.history[k] for p in parts], axis=1) for k in parts[0].history
        }
        defections = {}
        for k in parts[0].defections:
            cols = [
                p.defections[k] + (off if k == "replicate" else 0)
                for p, off in zip(parts, offsets, strict=True)
            ]
            defections[k] = np.concatenate(cols)
        return cls(
            history, canonical_defections(defections), np.concatenate([p.seeds for p in parts])
        )


PAIR_CELLS_FIXED = 30
"""Values per client-vendor pair of one replicate's engine state, besides its look-back
rings: beliefs, precisions and contracts per tier (6), ownership, conflict, fit, salience,
blocked, last defection (7), and the month's arrays (wanted, requested, spend, open, the
allocation's working arrays and the defection outputs: about 17)."""
PAIR_CELLS_PER_MONTH = 5
"""Per pair and month looked back over: the share ring (1), beliefs per tier (2), conflict
(1), spent and weights (about 1)."""


def state_bytes(world: World) -> int:
    """Bytes one replicate's engine state holds at its fullest, for sizing a run: it grows
    with clients x vendors whatever the record mode keeps."""
    months = int(np.ravel(world.defection_window)[0]) + 1 + LOOKBACK
    cells = PAIR_CELLS_FIXED + PAIR_CELLS_PER_MONTH * months
    return 8 * cells * world.n_clients * world.n_vendors


def run_batch(
    world: World,
    seeds: Sequence[int],
    months: int | None = None,
    record: str = "full",
    into: History | None = None,
) -> RunResult:
    """Run `len(seeds)` replicates of `world` for `months` months (default: its horizon).

    `record="summary"` keeps totals instead of client x vendor entries (`model.core.record`).
    `into` records the months into a larger run's history (from its `first` replicate on)
    rather than arrays of the batch's own; the result's history is then that run's.
    """
    seeds = np.asarray(seeds, dtype=np.uint64)
    n_months = months or world.months
    history = (
        into
        if into is not None
        else History.empty(n_months, len(seeds), world.n_clients, world.n_vendors, record)
    )
    batch = Batch.start(world, [np.random.default_rng(int(s)) for s in seeds], n_months)
    found = []
    for t in range(n_months):
        batch.advance()
        history.keep(t, batch.month, batch.decided)
        found.append(batch.defections())
    defections = {k: np.concatenate([d[k] for d in found]) for k in found[0]}
    mark_warm()  # the rules this run needed are compiled now: later runs will not wait
    return RunResult(history.arrays(), canonical_defections(defections), seeds)
