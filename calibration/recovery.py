"""Parameter recovery: can the fitting machinery find parameters it already knows?

Simulate the model at known parameters, turn the simulated statistics into targets (the
median over many replicates as the observed value), calibrate on them, and check that the
known values fall inside the 90% posterior intervals. A failure means the ABC code, the
distances or the tolerances are wrong, whatever the corpus says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from labelmarket.calibration.abc_smc import Abc, AbcState, weighted_summary
from labelmarket.calibration.priors import AbcSettings, FitSpec
from labelmarket.calibration.simulate import Simulator
from labelmarket.calibration.targets import Target
from labelmarket.model.core.world import World
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.seeds import step_seeds

TRUTH_KEY = 2_000_000  # seed key of the synthetic data, apart from the fit's own draws


@dataclass(frozen=True)
class Recovery:
    """Known values against their 90% posterior intervals."""

    names: list[str]
    truth: np.ndarray
    summary: np.ndarray  # (3, P): 5%, 50%, 95%
    runs: int
    dropped: list[str]  # targets with no positive median at the truth (nothing to match)

    @property
    def inside(self) -> np.ndarray:
        """Which known values lie inside their 90% interval."""
        return (self.summary[0] <= self.truth) & (self.truth <= self.summary[2])

    def table(self) -> str:
        """A Markdown table of the recovery."""
        lines = [
            "| parameter | known | posterior 5% | median | 95% | inside |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for j, n in enumerate(self.names):
            lo, mid, hi = self.summary[:, j]
            ok = "yes" if self.inside[j] else "**no**"
            lines.append(f"| {n} | {self.truth[j]:.3g} | {lo:.3g} | {mid:.3g} | {hi:.3g} | {ok} |")
        return "\n".join(lines)


def synthetic_targets(
    sim: Simulator, truth: np.ndarray, seed: int, replicates: int = 64
) -> tuple[list[Target], list[str]]:
    """Targets whose observed values are the model's own medians at `truth`.

    Each becomes an `approx` target whose tolerance is at least the simulation noise
    (the interquartile spread of its log across replicates), so the fit asks for what one
    simulation can deliver; targets with no positive median are dropped.
    """
    stats = sim.statistics(truth[None, :], step_seeds(seed, TRUTH_KEY, n=replicates), replicates)[0]
    out, dropped = [], []
    for j, t in enumerate(sim.targets):
        median = float(np.median(stats[:, j]))
        if median <= 0:
            dropped.append(t.id)
            continue
        logs = np.log(np.maximum(stats[:, j], 1e-12))
        noise = float(np.expm1(np.subtract(*np.percentile(logs, [75, 25])) / 1.35))
        spec = t.spec.model_copy(
            update={"relation": "approx", "tolerance": max(t.spec.tolerance, noise)}
        )
        out.append(replace(t, spec=spec, observed=median))
    return out, dropped


def recover(
    world: World,
    fit: FitSpec,
    targets: list[Target],
    truth: np.ndarray,
    settings: AbcSettings,
    seed: int,
    engine: Engine,
    without: World | None = None,
) -> Recovery:
    """Calibrate on targets simulated at `truth` and summarise the posterior (`without`: the
    same world without the stake, for targets measured against it)."""
    probe = Simulator(world, fit, targets, engine, without=without)
    synthetic, dropped = synthetic_targets(probe, np.asarray(truth, dtype=float), seed)
    sim = Simulator(world, fit, synthetic, engine, without=without)
    state = Abc(sim, settings, seed).run(AbcState(config="recovery"))
    post = state.posterior
    summary = weighted_summary(post.theta, post.weights)
    return Recovery(
        fit.names, np.asarray(truth, dtype=float), summary, probe.runs + sim.runs, dropped
    )
