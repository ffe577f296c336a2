"""Simulation-based calibration of the fitting procedure (Talts, Betancourt, Simpson, Vehtari
and Gelman 2018).

Draw parameters from the prior, simulate one data set from them (the targets' statistics of
one run), fit that data set with the same ABC-SMC procedure, and find where the true value
falls in the posterior (its weighted posterior CDF: the rank, scaled to 0..1). If the
procedure is calibrated, those ranks are uniform across data sets, parameter by parameter;
a bump in the middle means posteriors that are too wide, a U too narrow, a slope a bias.
The check here bins the ranks (the rank histogram) and applies a chi-square test of
uniformity (and, beside it, a Kolmogorov-Smirnov test on the unbinned ranks).

Each synthetic data set becomes `approx` targets with the shipped targets' tolerances, read
as the fit reads the corpus: the simulated value times an error uniform within the
tolerance in log terms (the fit's posterior at its final tolerance is exact for readings
made that way, so the ranks can be uniform). A statistic that is not positive (a push of
0, a difference) cannot be matched in log terms and is left out of that data set's fit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import stats

from labelmarket.calibration.abc_smc import Abc, AbcState
from labelmarket.calibration.priors import AbcSettings, FitSpec
from labelmarket.calibration.targets import Target
from labelmarket.model.execution.seeds import step_seeds

SBC_KEY = 3_000_000  # seed key of the synthetic data, apart from every fit's own draws
LEVEL = 0.01


@dataclass(frozen=True)
class Sbc:
    """Ranks of the true values in their posteriors, one row per synthetic data set."""

    names: list[str]
    ranks: np.ndarray  # (L, P) weighted posterior CDF at the truth, 0..1
    bins: int
    runs: int
    final: np.ndarray  # (L,) each fit's last tolerance
    tolerance: float  # the final tolerance the fits aimed at

    @property
    def reached(self) -> int:
        """Fits that reached the final tolerance (the others ran out of budget)."""
        return int((self.final <= self.tolerance).sum())

    def histogram(self) -> np.ndarray:
        """Rank counts per parameter and bin: (P, bins)."""
        edges = np.linspace(0.0, 1.0, self.bins + 1)
        return np.stack([np.histogram(r, edges)[0] for r in self.ranks.T])

    def chi_square(self) -> np.ndarray:
        """p-value of the chi-square test that each parameter's rank histogram is flat."""
        return np.array([stats.chisquare(h).pvalue for h in self.histogram()])

    def ks(self) -> np.ndarray:
        """p-value of the Kolmogorov-Smirnov test that each parameter's ranks are uniform."""
        return np.array([stats.kstest(r, "uniform").pvalue for r in self.ranks.T])

    def passes(self, level: float = LEVEL) -> np.ndarray:
        """Which parameters' rank histograms pass the chi-square test at `level`."""
        return self.chi_square() > level

    def table(self) -> str:
        """A Markdown table: rank histogram, chi-square and KS p-values, verdict at 1%."""
        lines = [
            f"| parameter | rank histogram ({self.bins} bins, {len(self.ranks)} data sets) "
            "| chi-square p | KS p | uniform at 1% |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, h, c, k, ok in zip(
            self.names, self.histogram(), self.chi_square(), self.ks(), self.passes(), strict=True
        ):
            bars = " ".join(str(int(n)) for n in h)
            lines.append(f"| {name} | {bars} | {c:.3f} | {k:.3f} | {'yes' if ok else '**no**'} |")
        return "\n".join(lines)


def posterior_rank(theta: np.ndarray, weights: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Weighted posterior CDF at the truth, per parameter (ties count half)."""
    below = (theta < truth).astype(float) + 0.5 * (theta == truth)
    return weights @ below


def synthetic(
    targets: list[Target], observed: np.ndarray, rng: np.random.Generator
) -> list[Target]:
    """`approx` readings of one simulated data set, each off by an error within its tolerance."""
    out = []
    error = rng.uniform(-1.0, 1.0, len(targets))
    for t, y, u in zip(targets, observed, error, strict=True):
        if np.isfinite(y) and y > 0:
            read = float(y * (1.0 + t.spec.tolerance) ** u)
            spec = t.spec.model_copy(update={"relation": "approx"})
            out.append(replace(t, spec=spec, observed=read))
    return out


def default_bins(datasets: int) -> int:
    """About five data sets per bin expected, between 2 and 20 bins."""
    return int(np.clip(datasets // 5, 2, 20))


def run_sbc(
    make_simulator: Callable[[list[Target]], Any],
    fit: FitSpec,
    targets: list[Target],
    settings: AbcSettings,
    datasets: int,
    seed: int,
    bins: int | None = None,
    on_dataset: Callable[[int], None] | None = None,
) -> Sbc:
    """SBC of ABC-SMC with `settings` over `datasets` prior draws.

    `make_simulator(targets)` gives a Simulator (or anything with `statistics`, `fit`,
    `targets`, `worlds` and `runs`) measuring those targets.
    """
    rng = np.random.default_rng([seed, SBC_KEY])
    truths = fit.from_unit(rng.random((datasets, len(fit.parameters))))
    probe = make_simulator(targets)
    data = probe.statistics(truths, step_seeds(seed, SBC_KEY, n=datasets), 1)[:, 0]
    runs, ranks, final = probe.runs, np.empty_like(truths), np.empty(datasets)
    for i, (truth, y) in enumerate(zip(truths, data, strict=True)):
        sim = make_simulator(synthetic(targets, y, rng))
        state = Abc(sim, settings, seed + 1 + i).run(AbcState(config="sbc"))
        post = state.posterior
        ranks[i] = posterior_rank(post.theta, post.weights, truth)
        runs += sim.runs
        final[i] = post.epsilon
        if on_dataset is not None:
            on_dataset(i)
    bins = bins or default_bins(datasets)
    return Sbc(fit.names, ranks, bins, runs, final, settings.tolerance)
