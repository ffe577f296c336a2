"""Summaries of a finished sweep: per-point statistics and SALib sensitivity indices.

Replicates are averaged per point before the analysis, so the indices describe how the
expected outcome depends on the parameters rather than the replicate noise. Sobol indices
(first-order S1, total ST) come with bootstrap confidence intervals; Morris gives mu* (mean
absolute elementary effect, in the outcome's unit per whole parameter range) and sigma
(its spread: interactions or non-linearity).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from SALib.analyze import morris, sobol

from labelmarket.model.experiments.designs import problem, unit_design
from labelmarket.model.experiments.sweep_file import SweepSpec

CONFIDENCE = 0.95
RESAMPLES = 1000


def point_summary(
    results: pd.DataFrame, parameters: list[str], outcomes: list[str]
) -> pd.DataFrame:
    """One row per point x outcome: parameter values, runs, failures, mean, sd and quantiles."""
    ok = results[results["error"].isna()]
    first = results.groupby("point", sort=True)[parameters].first()
    counts = results.groupby("point", sort=True)["error"].agg(runs="size", failed="count")
    rows = []
    for name in outcomes:
        g = ok.groupby("point", sort=True)[name]
        stats = pd.DataFrame(
            {
                "mean": g.mean(),
                "sd": g.std(ddof=1),
                "q05": g.quantile(0.05),
                "median": g.median(),
                "q95": g.quantile(0.95),
            }
        )
        part = first.join(counts).join(stats)
        part.insert(0, "outcome", name)
        rows.append(part.reset_index())
    return pd.concat(rows, ignore_index=True)


def point_means(results: pd.DataFrame, points: int, outcome: str) -> np.ndarray:
    """Mean over each point's successful replicates, NaN for a point with none."""
    ok = results[results["error"].isna()]
    means = ok.groupby("point")[outcome].mean()
    return means.reindex(np.arange(points)).to_numpy(dtype=float)


def sobol_indices(spec: SweepSpec, y: np.ndarray) -> pd.DataFrame:
    """First-order and total Sobol indices with confidence half-widths, one row per parameter."""

    found = sobol.analyze(
        problem(spec),
        np.asarray(y, dtype=float),
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        seed=spec.seed,
    )
    return pd.DataFrame(
        {
            "parameter": [p.path for p in spec.parameters],
            "S1": found["S1"],
            "S1_conf": found["S1_conf"],
            "ST": found["ST"],
            "ST_conf": found["ST_conf"],
        }
    )


def morris_indices(spec: SweepSpec, y: np.ndarray) -> pd.DataFrame:
    """Morris mu, mu* (with confidence half-width) and sigma, one row per parameter."""

    x = np.asarray(unit_design(spec), dtype=float)
    found = morris.analyze(
        problem(spec),
        x,
        np.asarray(y, dtype=float),
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        num_levels=spec.morris_levels,
        seed=spec.seed,
    )
    return pd.DataFrame(
        {
            "parameter": [p.path for p in spec.parameters],
            "mu": np.asarray(found["mu"], dtype=float),
            "mu_star": np.asarray(found["mu_star"], dtype=float),
            "mu_star_conf": np.asarray(found["mu_star_conf"], dtype=float),
            "sigma": np.asarray(found["sigma"], dtype=float),
        }
    )


def analyse(
    spec: SweepSpec, results: pd.DataFrame, outcomes: list[str], points: int
) -> tuple[pd.DataFrame | None, list[str]]:
    """Sensitivity table of every outcome (sobol/morris designs), and notes on skipped ones."""
    if spec.design not in ("sobol", "morris"):
        return None, []
    tables, notes = [], []
    for name in outcomes:
        y = point_means(results, points, name)
        if not np.isfinite(y).all():
            bad = int((~np.isfinite(y)).sum())
            notes.append(f"{name}: no sensitivity indices, {bad} of {points} points have no value")
            continue
        if np.ptp(y) == 0:
            notes.append(f"{name}: no sensitivity indices, the outcome never changes")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            table = sobol_indices(spec, y) if spec.design == "sobol" else morris_indices(spec, y)
        table.insert(0, "outcome", name)
        tables.append(table)
    return (pd.concat(tables, ignore_index=True) if tables else None), notes
