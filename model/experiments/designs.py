"""Experimental designs: which parameter values a sweep runs, one row per point.

Sampling designs (lhs, sobol, morris) draw points in the unit cube, then map each column
onto its parameter's range (linear or log). The SALib samplers are used as they are, so
SALib's analysers read the same rows back (`model.sensitivity`). Designs are drawn from the
sweep seed on a stream of their own, so the points never depend on how the runs are split.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence

import numpy as np
from SALib.sample import morris, sobol
from scipy.stats import qmc

from labelmarket.model.execution.seeds import design_generator
from labelmarket.model.experiments.sweep_file import ParameterSpec, SweepSpec


def design_size(spec: SweepSpec) -> int:
    """Number of points the design needs, known before anything is drawn (for the budget)."""
    n_params = len(spec.parameters)
    if spec.design == "grid":
        return math.prod(len(p.values) if p.values else int(p.levels or 0) for p in spec.parameters)
    points = int(spec.points or 0)
    if spec.design == "sobol":
        return points * (n_params + 2)  # Saltelli without second-order terms
    if spec.design == "morris":
        return points * (n_params + 1)
    return points


def problem(spec: SweepSpec) -> dict:
    """The SALib problem in unit coordinates: one [0, 1] column per parameter."""
    return {
        "num_vars": len(spec.parameters),
        "names": [p.path for p in spec.parameters],
        "bounds": [[0.0, 1.0]] * len(spec.parameters),
    }


def to_values(unit: np.ndarray, parameters: Sequence[ParameterSpec]) -> np.ndarray:
    """Map unit-cube coordinates (N, P) onto each parameter's range and scale."""
    out = np.empty_like(unit, dtype=float)
    for j, p in enumerate(parameters):
        low, high = p.range  # type: ignore[misc]
        if p.scale == "log":
            out[:, j] = np.exp(np.log(low) + unit[:, j] * (np.log(high) - np.log(low)))
        else:
            out[:, j] = low + unit[:, j] * (high - low)
        out[:, j] = np.clip(out[:, j], low, high)  # no rounding step past a bound
    return out


def _levels(p: ParameterSpec) -> np.ndarray:
    """The grid values of one parameter."""
    if p.values is not None:
        return np.asarray(p.values, dtype=float)
    low, high = p.range  # type: ignore[misc]
    space = np.geomspace if p.scale == "log" else np.linspace
    return space(low, high, int(p.levels or 2))


def _lhs(n: int, d: int, seed: int) -> np.ndarray:
    """A Latin hypercube of n points in d dimensions (scipy.stats.qmc)."""

    key = "rng" if "rng" in inspect.signature(qmc.LatinHypercube).parameters else "seed"
    return qmc.LatinHypercube(d=d, **{key: design_generator(seed)}).random(n)


def unit_design(spec: SweepSpec) -> np.ndarray | None:
    """Unit-cube points of a sampling design (None for a grid)."""
    d, n = len(spec.parameters), int(spec.points or 0)
    if spec.design == "lhs":
        return _lhs(n, d, spec.seed)
    if spec.design == "sobol":
        return sobol.sample(
            problem(spec), n, calc_second_order=False, seed=design_generator(spec.seed)
        )
    if spec.design == "morris":
        return morris.sample(
            problem(spec),
            n,
            num_levels=spec.morris_levels,
            seed=int(design_generator(spec.seed).integers(2**31)),
        )
    return None


def design_values(spec: SweepSpec) -> np.ndarray:
    """Parameter values of every point (N, P), in the order the analysers expect."""
    unit = unit_design(spec)
    if unit is not None:
        return to_values(np.asarray(unit, dtype=float), spec.parameters)
    grids = np.meshgrid(*[_levels(p) for p in spec.parameters], indexing="ij")
    return np.stack([g.reshape(-1) for g in grids], axis=1)
