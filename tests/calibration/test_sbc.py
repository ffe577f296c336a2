"""Simulation-based calibration: the ABC-SMC procedure gives uniform ranks when it is right,
and the check sees it when it is not. The procedure runs on a one-line simulator (known
likelihood, microseconds a run) so many data sets fit in a second; the model itself is
checked the same way, on more data sets, by benchmarks/bench_sbc.py."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from labelmarket.calibration.abc_smc import Abc, AbcState
from labelmarket.calibration.facts import load_ledger
from labelmarket.calibration.priors import AbcSettings, FitSpec, load_fit_spec
from labelmarket.calibration.sbc import posterior_rank, run_sbc, synthetic
from labelmarket.calibration.simulate import Simulator, without_stake
from labelmarket.calibration.targets import load_targets
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import ROOT

SETTINGS = AbcSettings(population=100, budget=3000, min_acceptance=0.02)


@pytest.fixture(scope="module")
def inputs() -> tuple:
    """Historical world, its twin without the stake, the fitted targets and the priors."""
    scenario = load_scenario(ROOT / "scenarios" / "historical.yaml")
    world = compile_world(scenario)
    targets = load_targets(
        ROOT / "calibration" / "targets.yaml", load_ledger(ROOT / "seeds"), scenario
    )
    fit = load_fit_spec(ROOT / "calibration" / "parameters.yaml", scenario, world)
    return world, compile_world(without_stake(scenario)), [t for t in targets if t.fitted], fit


def one_parameter(fit: FitSpec, name: str) -> FitSpec:
    return FitSpec(tuple(p for p in fit.parameters if p.name == name), fit.abc)


class Toy:
    """log y = theta / 4 + shift + noise: a likelihood we know, simulated in microseconds."""

    worlds = 1

    def __init__(self, fit: FitSpec, targets: list, shift: float = 0.0) -> None:
        self.fit, self.targets, self.shift, self.runs = fit, targets, shift, 0

    def statistics(self, theta: np.ndarray, seeds: np.ndarray, k: int) -> np.ndarray:
        rows = np.repeat(theta, k, axis=0)
        noise = np.random.default_rng(np.asarray(seeds, dtype=np.uint64)).standard_normal(len(rows))
        y = np.exp(rows[:, 0] / 4 + self.shift + 0.3 * noise)
        self.runs += len(rows)
        return np.repeat(y[:, None], len(self.targets), axis=1).reshape(len(theta), k, -1)


def test_the_procedure_is_calibrated_and_a_biased_one_is_caught(inputs: tuple) -> None:
    """Right model: ranks pass the chi-square test at 1%. Data from a shifted model fitted
    with the unshifted one: the ranks pile up at one end and the test rejects them."""
    *_, targets, fit = inputs
    one = one_parameter(fit, "clients.Google.conflict_sensitivity")
    target = [next(t for t in targets if t.spec.relation == "approx")]
    good = run_sbc(lambda ts: Toy(one, ts), one, target, SETTINGS, 60, seed=5, bins=6)
    assert good.ranks.shape == (60, 1) and good.histogram().sum() == 60
    assert good.reached == 60  # every fit ended at the tolerance its data were read with
    assert good.passes().all(), good.table()

    made = []

    def biased(ts: list) -> Toy:  # the first simulator makes the data, the others fit it
        made.append(Toy(one, ts, shift=0.5 if not made else 0.0))
        return made[-1]

    bad = run_sbc(biased, one, target, SETTINGS, 60, seed=5, bins=6)
    assert not bad.passes().any() and np.median(bad.ranks) < 0.2, bad.table()


def test_the_fit_ends_at_the_targets_tolerance(inputs: tuple) -> None:
    """The tolerance falls generation by generation to 1 and stops there: the posterior is
    the prior given every reading within its tolerance, whatever budget is left."""
    *_, targets, fit = inputs
    one = one_parameter(fit, "clients.Google.conflict_sensitivity")
    target = [next(t for t in targets if t.spec.relation == "approx")]
    toy = Toy(one, [replace(target[0], observed=float(np.exp(2.0)))])
    state = Abc(toy, SETTINGS.model_copy(update={"budget": 100_000}), 3).run(AbcState("t"))
    eps = [p.epsilon for p in state.populations]
    assert state.stop_reason == "reached the targets' tolerances", state.stop_reason
    assert eps[0] > 1 and eps[-1] == 1.0 and all(a >= b for a, b in itertools.pairwise(eps))
    assert state.posterior.distances.max() <= 1.0 and state.runs < 100_000


def test_synthetic_readings_carry_an_error_within_the_tolerance(inputs: tuple) -> None:
    """Each synthetic reading is the simulated value off by at most its tolerance (log
    terms), spread across it; values that are not positive are left out."""
    *_, targets, _ = inputs
    approx = next(t for t in targets if t.spec.relation == "approx")
    tol = np.log1p(approx.spec.tolerance)
    rng = np.random.default_rng(0)
    errors = [np.log(synthetic([approx], np.array([5.0]), rng)[0].observed / 5.0) / tol
              for _ in range(400)]  # fmt: skip
    assert max(np.abs(errors)) <= 1 and min(errors) < -0.9 and max(errors) > 0.9
    assert synthetic([approx, approx], np.array([0.0, 2.0]), rng)[0].spec.relation == "approx"
    assert len(synthetic([approx, approx], np.array([0.0, 2.0]), rng)) == 1


def test_posterior_rank_is_the_weighted_cdf_at_the_truth() -> None:
    theta = np.array([[1.0], [2.0], [3.0], [4.0]])
    w = np.array([0.1, 0.2, 0.3, 0.4])
    assert posterior_rank(theta, w, np.array([2.5]))[0] == pytest.approx(0.3)
    assert posterior_rank(theta, w, np.array([3.0]))[0] == pytest.approx(0.3 + 0.15)


def test_sbc_runs_on_the_model(inputs: tuple) -> None:
    """The same check on the model itself, at a budget that only shows it runs end to end
    (two data sets; the benchmark runs enough for the test to mean something)."""
    world, without, targets, fit = inputs
    one = one_parameter(fit, "clients.*.expert_trend")
    engine = LocalEngine(1)
    settings = AbcSettings(population=20, budget=100, initial_factor=2)
    found = run_sbc(
        lambda ts: Simulator(world, one, ts, engine, without=without), one, targets, settings, 2, 1
    )
    assert found.ranks.shape == (2, 1) and ((found.ranks >= 0) & (found.ranks <= 1)).all()
    assert found.runs > 2
