"""Posterior-predictive simulations: fresh runs from the posterior, with their twins.

Each draw resamples one parameter set from the weighted posterior and simulates the whole
horizon; when the scenario holds a stake, the same parameter set and seed also run without
it, so targets measured against that world and the headline answers (`calibration.headline`)
are paired draw by draw. What the fit table, the coverage and the charts show comes from
here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from labelmarket.calibration.headline import Answer, measure
from labelmarket.calibration.priors import FitSpec
from labelmarket.calibration.simulate import simulate
from labelmarket.calibration.targets import Target, effect_ratio, series, statistics
from labelmarket.model.core.world import World
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.seeds import step_seeds

PREDICTIVE_KEY = 1_000_000  # seed key of the predictive draws, apart from every generation


@dataclass
class Predictive:
    """Posterior-predictive simulations: statistics, monthly series, headline answers."""

    theta: np.ndarray  # (M, P) parameter sets drawn from the posterior
    stats: np.ndarray  # (M, J) target statistics
    series: np.ndarray  # (J, T, M) each target's series (ratios: over its baseline mean)
    runs: int  # simulations, both worlds counted
    answers: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))  # (M, K) % changes


def _panel(t: Target, world: World, h: dict, h0: dict | None) -> np.ndarray:
    """A target's monthly series (T, M) as its chart shows it: over its baseline mean, or
    against the world without the stake month by month."""
    how = t.spec.counterfactual
    x = series(t, world, h0 if how == "level" else h)
    if how in ("ratio", "difference") and h0 is not None:
        other = series(t, world, h0)
        return effect_ratio(x, other) if how == "ratio" else x - other
    if t.baseline is not None:
        a, b = t.baseline
        base = x[a : b + 1].mean(axis=0)
        x = np.where(base > 0, x / np.where(base > 0, base, 1.0), 0.0)
    return x


def draw_predictive(
    world: World,
    fit: FitSpec,
    targets: list[Target],
    theta: np.ndarray,
    weights: np.ndarray,
    draws: int,
    seed: int,
    engine: Engine,
    without: World | None = None,
    answers: list[Answer] | None = None,
) -> Predictive:
    """Simulate `draws` parameter sets resampled from the posterior over the whole horizon
    (and, given `without`, the same draws and seeds without the stake)."""
    rng = np.random.default_rng([seed, PREDICTIVE_KEY])
    rows = theta[rng.choice(len(theta), size=draws, p=weights)]
    params, values = fit.columns(rows)
    seeds = step_seeds(seed, PREDICTIVE_KEY, n=draws)
    h = simulate(world, params, values, seeds, engine).history
    h0 = simulate(without, params, values, seeds, engine).history if without else None
    panels = np.stack([_panel(t, world, h, h0) for t in targets])
    found = np.empty((draws, 0))
    if answers and h0 is not None:
        found = measure(answers, h, h0)
    runs = draws * (2 if h0 is not None else 1)
    return Predictive(rows, statistics(targets, world, h, h0), panels, runs, found)
