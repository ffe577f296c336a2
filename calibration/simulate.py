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
from labelmarket.calibration.targets import Target, last_month, needs_without, statistics
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.scenario.paths import Parameter, with_parameters
from labelmarket.model.scenario.schema import Scenario

MAX_RUNS_PER_CALL = 4000  # ~40 KB of history per two-year run: ~160 MB per call at most


def without_stake(scenario: Scenario) -> Scenario:
    """The same scenario with its stake (every investment event) removed: the counterfactual
    a consequence of the stake is measured against."""
    kept = [e for e in scenario.events if e.type != "investment"]
    return scenario.model_copy(update={"events": kept})


def has_stake(scenario: Scenario) -> bool:
    """True when the scenario holds a stake whose consequences can be measured."""
    return any(e.type == "investment" for e in scenario.events)


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
    """Turns parameter sets into target statistics, counting every simulation it runs.

    `without` is the same world without the stake; it runs only when a target needs it,
    and each of its runs counts as a simulation.
    """

    world: World
    fit: FitSpec
    targets: list[Target]
    engine: Engine
    on_runs: Callable[[int], None] | None = None
    runs: int = 0
    without: World | None = None

    def __post_init__(self) -> None:
        months = min(self.world.months, last_month(self.targets))
        self.world = replace(self.world, months=months)
        if not needs_without(self.targets):
            self.without = None
        elif self.without is None:
            raise ValueError("a target is measured against the world without the stake")
        else:
            self.without = replace(self.without, months=months)

    @property
    def worlds(self) -> int:
        """Simulations one parameter set and seed cost: 2 when the world without the stake
        runs beside the scenario, else 1."""
        return 1 if self.without is None else 2

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
            result, other = self.pair(rows[start:stop], seeds[start:stop])
            without = other.history if other is not None else None
            out[start:stop] = statistics(self.targets, self.world, result.history, without)
        return out.reshape(len(theta), replicates, len(self.targets))

    def pair(self, rows: np.ndarray, seeds: np.ndarray) -> tuple[RunResult, RunResult | None]:
        """The runs of these parameter sets, and their twins without the stake if needed."""
        result = self.history(rows, seeds)
        if self.without is None:
            return result, None
        params, values = self.fit.columns(rows)
        other = simulate(self.without, params, values, seeds, self.engine, self.on_runs)
        self.runs += len(seeds)
        return result, other

    def history(self, rows: np.ndarray, seeds: np.ndarray) -> RunResult:
        """Full monthly history of one run per row of `rows` (for predictive charts)."""
        params, values = self.fit.columns(rows)
        result = simulate(self.world, params, values, seeds, self.engine, self.on_runs)
        self.runs += len(seeds)
        return result
