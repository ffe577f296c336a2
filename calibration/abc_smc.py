"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC, adaptive tolerance).

Generation 0 draws `population x initial_factor` parameter sets from a Latin hypercube over
the prior and keeps the closest `population`. Each later generation sets its tolerance to a
quantile of the previous distances, never below the final `tolerance` (1: every target within
its stated tolerance), proposes by resampling the previous particles and
perturbing each parameter by a normal truncated to its bounds (twice the weighted variance,
Beaumont et al. 2009; `calibration.kernel`), so every proposal is inside the prior,
simulates whole rounds of proposals in one batched call, accepts those within tolerance and
weights them by prior / mixture-of-kernels density (Toni et al. 2009).

The fit ends with the generation run at the final tolerance. Its posterior is then a
defined object, not an artefact of the budget: the prior given that every reading holds to
its stated precision. For a stated number that is the exact posterior when the reading is
the model's statistic plus an error uniform within its tolerance (Wilkinson 2013,
*Statistical Applications in Genetics and Molecular Biology*); for a bound, the prior
restricted to the bound with its slack. A fit whose budget runs out first says so.

A checkpoint is written after every generation. Every random draw is keyed by (seed,
generation, round), so a run resumed from a checkpoint reaches exactly the result the
uninterrupted run would have.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import qmc

from labelmarket.calibration.kernel import TruncatedKernel
from labelmarket.calibration.priors import AbcSettings, FitSpec
from labelmarket.calibration.simulate import Simulator
from labelmarket.calibration.targets import Target, combined_distance, target_distances
from labelmarket.model.execution.seeds import step_seeds

CHECKPOINT = "checkpoint.npz"


@dataclass
class Population:
    """One generation's accepted particles."""

    theta: np.ndarray  # (N, P) parameter values
    weights: np.ndarray  # (N,) normalised importance weights
    distances: np.ndarray  # (N,) combined distance
    stats: np.ndarray  # (N, J) statistics (median over a particle's replicates)
    epsilon: float  # tolerance this generation used
    proposed: int  # parameter sets it took to accept them (a last round's surplus not counted)
    runs: int  # simulations (parameter sets x replicates)

    @property
    def acceptance(self) -> float:
        """Share of proposals accepted."""
        return len(self.theta) / max(self.proposed, 1)

    def ess(self) -> float:
        """Effective sample size of the weights."""
        return float(1.0 / np.sum(self.weights**2))


@dataclass
class AbcState:
    """Everything a checkpoint holds: finished generations, simulations, time, why it stopped."""

    config: str  # hash of what was fitted and how: a resume must match it
    populations: list[Population] = field(default_factory=list)
    runs: int = 0
    elapsed: float = 0.0
    stop_reason: str = ""

    @property
    def done(self) -> bool:
        """True once the fit has stopped (budget, acceptance, or convergence)."""
        return bool(self.stop_reason)

    @property
    def posterior(self) -> Population:
        """The last finished generation."""
        return self.populations[-1]


def config_hash(
    fit: FitSpec, targets: list[Target], settings: AbcSettings, seed: int, extra: str
) -> str:
    """Hash of priors, targets, settings and seed: a checkpoint only resumes the same fit."""
    data = {
        "parameters": [p.spec.model_dump() for p in fit.parameters],
        "targets": [[t.spec.model_dump(), t.observed] for t in targets],
        "settings": settings.model_dump(),
        "seed": seed,
        "extra": extra,
    }
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def save_checkpoint(path: Path, state: AbcState) -> None:
    """Write the state atomically (a crash mid-write leaves the previous checkpoint)."""
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {
        k: getattr(state, k) for k in ("config", "runs", "elapsed", "stop_reason")
    }
    meta["generations"] = []
    for g, pop in enumerate(state.populations):
        for name in ("theta", "weights", "distances", "stats"):
            arrays[f"g{g}_{name}"] = getattr(pop, name)
        meta["generations"].append({k: getattr(pop, k) for k in ("epsilon", "proposed", "runs")})
    arrays["meta"] = np.array(json.dumps(meta))
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> AbcState:
    """Read a state written by `save_checkpoint`."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        pops = [
            Population(
                *(data[f"g{g}_{n}"] for n in ("theta", "weights", "distances", "stats")), **info
            )
            for g, info in enumerate(meta.pop("generations"))
        ]
    return AbcState(populations=pops, **meta)


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The q-quantile of x under normalised weights w."""
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    return float(x[order][min(np.searchsorted(cum, q * cum[-1]), len(x) - 1)])


def _score(
    sim: Simulator, theta: np.ndarray, seeds: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Median statistics over each particle's replicates and its combined distance."""
    stats = np.median(sim.statistics(theta, seeds, k), axis=1)
    return stats, combined_distance(target_distances(stats, sim.targets))


class Abc:
    """ABC-SMC over a Simulator, resumable from a checkpoint."""

    def __init__(
        self,
        sim: Simulator,
        settings: AbcSettings,
        seed: int,
        checkpoint: Path | None = None,
        on_generation: Callable[[AbcState], None] | None = None,
    ) -> None:
        self.sim, self.s, self.seed = sim, settings, seed
        self.per = settings.replicates * sim.worlds  # simulations one particle costs
        self.fit: FitSpec = sim.fit
        self.checkpoint = checkpoint
        self.on_generation = on_generation

    def run(self, state: AbcState) -> AbcState:
        """Run generations until the budget, the acceptance floor or convergence stops it."""
        while not state.done:
            started, runs_before = time.perf_counter(), self.sim.runs
            g = len(state.populations)
            pop, reason = self._generation0() if g == 0 else self._generation(g, state)
            state.runs += self.sim.runs - runs_before
            state.elapsed += time.perf_counter() - started
            if pop is not None:
                state.populations.append(pop)
            state.stop_reason = reason or self._stop_before_next(state)
            if self.checkpoint is not None:
                save_checkpoint(self.checkpoint, state)
            if self.on_generation is not None:
                self.on_generation(state)
        return state

    def _remaining(self, state: AbcState) -> int:
        return self.s.budget - state.runs

    def _stop_before_next(self, state: AbcState) -> str:
        """Why not to start another generation ('' to go on)."""
        pops = state.populations
        need = self.s.population * self.per / max(pops[-1].acceptance, self.s.min_acceptance)
        if self._remaining(state) < need:
            return "budget"
        if len(pops) >= 2 and pops[-1].epsilon <= self.s.tolerance:
            return "reached the targets' tolerances"
        if len(pops) >= 2 and pops[-1].epsilon >= 0.99 * pops[-2].epsilon:
            return "converged (tolerance no longer falls)"
        if pops[-1].distances.max() == 0:
            return "converged (every particle meets every target)"
        return ""

    def _generation0(self) -> tuple[Population | None, str]:
        n = min(math.ceil(self.s.population * self.s.initial_factor), self.s.budget // self.per)
        if n < self.s.population:
            return None, "budget (too small for the first generation)"
        design = qmc.LatinHypercube(
            d=len(self.fit.parameters), seed=np.random.default_rng([self.seed, 0])
        )
        theta = self.fit.from_unit(design.random(n))
        stats, dist = _score(
            self.sim, theta, step_seeds(self.seed, 0, 0, n=n * self.s.replicates), self.s.replicates
        )
        keep = np.argsort(dist, kind="stable")[: self.s.population]
        w = np.full(len(keep), 1.0 / len(keep))
        eps = float(dist[keep].max())
        return Population(theta[keep], w, dist[keep], stats[keep], eps, n, n * self.per), ""

    def _generation(self, g: int, state: AbcState) -> tuple[Population | None, str]:
        prev, k, n = state.posterior, self.s.replicates, self.s.population
        eps = weighted_quantile(prev.distances, prev.weights, self.s.quantile)
        eps = max(eps, self.s.tolerance)
        kernel = TruncatedKernel.around(
            self.fit.to_z(prev.theta), prev.weights, *self.fit.z_bounds()
        )
        rng = np.random.default_rng([self.seed, g])
        kept: list[tuple[np.ndarray, ...]] = []
        accepted = runs = 0
        proposed = 0.0  # proposals it took to accept (the last round's surplus not counted)
        rate = max(prev.acceptance * self.s.quantile, self.s.min_acceptance)
        for rnd in range(10_000):
            need = n - accepted
            size = min(math.ceil(need / rate * 1.2) + 8, (4 if rnd == 0 else 20) * n)
            size = min(size, (self.s.budget - state.runs - runs) // self.per)
            if size <= 0:
                return None, "budget (the last generation could not finish)"
            z = kernel.draw(rng, size)
            theta = self.fit.from_z(z)
            stats, dist = _score(self.sim, theta, step_seeds(self.seed, g, rnd + 1, n=size * k), k)
            runs += size * self.per
            passed = np.flatnonzero(dist <= eps)
            ok = passed[:need]
            proposed += size * (len(ok) / len(passed) if len(passed) > need else 1.0)
            kept.append((theta[ok], dist[ok], stats[ok], z[ok]))
            accepted += len(ok)
            if accepted >= n:
                break
            rate = max(accepted / proposed, self.s.min_acceptance / 2)
            if proposed >= n and accepted / proposed < self.s.min_acceptance:
                return None, f"acceptance below {self.s.min_acceptance:g}"
        theta = np.concatenate([x[0] for x in kept])
        dist = np.concatenate([x[1] for x in kept])
        stats = np.concatenate([x[2] for x in kept])
        z = np.concatenate([x[3] for x in kept])
        log_w = self.fit.log_prior_z(z) - kernel.log_density(z)  # importance: prior / proposal
        weights = np.exp(log_w - log_w.max())
        weights /= weights.sum()
        return Population(theta, weights, dist, stats, eps, round(proposed), runs), ""


def weighted_summary(
    theta: np.ndarray, w: np.ndarray, probs: tuple[float, ...] = (0.05, 0.5, 0.95)
) -> np.ndarray:
    """Weighted quantiles of every column: (len(probs), P)."""
    return np.array(
        [[weighted_quantile(theta[:, j], w, q) for j in range(theta.shape[1])] for q in probs]
    )
