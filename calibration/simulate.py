"""Simulating many parameter sets at once: one batched world row per (parameter set, replicate).

Calibration never runs the model one parameter set at a time: a matrix of parameter sets
becomes one batched world (`FitSpec.apply`) that the chunked runner spreads over worker
processes. Only the months the targets need are simulated, and histories are reduced to
target statistics chunk by chunk so memory stays flat whatever the batch size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from labelmarket.calibration.priors import FitSpec
from labelmarket.calibration.targets import Target, last_month, statistics
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.scenario.paths import Parameter, with_parameters

MAX_RUNS_PER_CALL = 4000  # ~40 KB of history per two-year run: ~160 MB per call at most


def simulate(
    world: World,
    params: list[Parameter],
    values: np.ndarray,
    seeds: np.ndarray,
    engine: Engine,
    on_chunk: Callable[[int], None] | None = None,
) -> RunResult:
    """Run one replicate per row of `values` (R, P) with its seed, on `engine`.

    The single place calibration touches the execution engine (local processes or a Dask
    cluster with `--scheduler`); every engine gives the same numbers.
    """
    return run_replicates(with_parameters(world, params, values), seeds, engine, on_chunk)


@dataclass
class Simulator:
    """Turns parameter sets into target statistics, counting every simulation it runs."""

    world: World
    fit: FitSpec
    targets: list[Target]
    engine: Engine
    on_runs: Callable[[int], None] | None = None
    runs: int = 0

    def __post_init__(self) -> None:
        months = min(self.world.months, last_month(self.targets))
        self.world = replace(self.world, months=months)

    def statistics(self, theta: np.ndarray, seeds: np.ndarray, replicates: int) -> np.ndarray:
        """Target statistics (N, K, J) for N parameter sets x K replicates with these seeds.

        `seeds` holds N * K seeds, parameter set-major (set i uses seeds[i*K:(i+1)*K]).
        """
        rows = np.repeat(theta, replicates, axis=0)
        if len(seeds) != len(rows):
            raise ValueError(f"{len(seeds)} seeds for {len(rows)} runs")
        out = np.empty((len(rows), len(self.targets)))
        for start in range(0, len(rows), MAX_RUNS_PER_CALL):
            stop = min(start + MAX_RUNS_PER_CALL, len(rows))
            result = self.history(rows[start:stop], seeds[start:stop])
            out[start:stop] = statistics(self.targets, self.world, result.history)
        return out.reshape(len(theta), replicates, len(self.targets))

    def history(self, rows: np.ndarray, seeds: np.ndarray) -> RunResult:
        """Full monthly history of one run per row of `rows` (for predictive charts)."""
        params, values = self.fit.columns(rows)
        result = simulate(self.world, params, values, seeds, self.engine, self.on_runs)
        self.runs += len(seeds)
        return result
