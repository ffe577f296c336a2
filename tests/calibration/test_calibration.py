"""Calibration machinery: targets, priors, ABC-SMC (resume, recovery), identifiability."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from labelmarket.calibration.abc_smc import Abc, AbcState, load_checkpoint, weighted_quantile
from labelmarket.calibration.errors import CalibrationInputError
from labelmarket.calibration.facts import load_ledger
from labelmarket.calibration.identifiability import identifiability
from labelmarket.calibration.priors import FitSpec, load_fit_spec
from labelmarket.calibration.recovery import recover
from labelmarket.calibration.report import calibrated_mapping
from labelmarket.calibration.series import SERIES
from labelmarket.calibration.simulate import Simulator, without_stake
from labelmarket.calibration.targets import combined_distance, load_targets, target_distances
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import ROOT, dask_scheduler

TARGETS = ROOT / "calibration" / "targets.yaml"
PARAMETERS = ROOT / "calibration" / "parameters.yaml"
ISSUE_FACTS = {  # the facts the issue names as targets
    "google_planned_spend_2025_usd",
    "google_paused_projects_after_deal",
    "openai_xai_reduced_work_after_deal",
    "meta_buys_from_surge_mercor",
    "scale_contractor_headcount",
    "scale_layoffs_after_client_losses",
    "expert_vendors_high_pay_fast_growth",
}


@pytest.fixture(scope="module")
def world_etc() -> tuple:
    """The historical scenario, its world, the ledger, the targets and the priors."""
    scenario = load_scenario(ROOT / "scenarios" / "historical.yaml")
    world = compile_world(scenario)
    ledger = load_ledger(ROOT / "seeds")
    return (
        scenario,
        world,
        ledger,
        [t for t in load_targets(TARGETS, ledger, scenario) if t.fitted],
        load_fit_spec(PARAMETERS, scenario, world),
    )


@pytest.fixture(scope="module")
def without(world_etc: tuple):
    """The same world without the stake (what consequence targets are measured against)."""
    return compile_world(without_stake(world_etc[0]))


def small_fit(fit: FitSpec, names: tuple[str, ...], **abc: float) -> FitSpec:
    """A fit over a few of the declared parameters with small ABC settings (fast tests)."""
    params = tuple(p for p in fit.parameters if p.name in names)
    return FitSpec(params, fit.abc.model_copy(update=abc))


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_targets_cover_the_issue_facts(world_etc: tuple) -> None:
    """Every fact the issue names backs a target, and qualitative facts become bounds."""
    scenario, _, ledger, *_ = world_etc
    targets = load_targets(TARGETS, ledger, scenario)  # consistency checks included
    cited = {f for t in targets for f in t.spec.facts}
    assert cited >= ISSUE_FACTS
    google = next(t for t in targets if t.id == "google_spend_at_scale_2025_plan")
    assert google.observed == 200e6  # taken from the fact's own value
    assert google.window == (12, 23)  # calendar 2025 ("cette année" in 004, June 2025)
    assert google.spec.counterfactual == "level"  # planned: the world without the stake
    cuts = [t for t in targets if t.id.endswith("_cuts_scale_after_stake")]
    assert len(cuts) == 3 and all(t.spec.relation == "at_most" for t in cuts)


def test_distances_are_zero_inside_and_one_at_the_tolerance(world_etc: tuple) -> None:
    """approx in log terms, bounds by relative excess; 1 means exactly at the tolerance."""
    *_, targets, _ = world_etc
    ids = [t.id for t in targets]
    google, cut = (
        ids.index("google_spend_at_scale_2025_plan"),
        ids.index("google_cuts_scale_after_stake"),
    )
    stats = np.tile([t.observed for t in targets], (4, 1)).astype(float)
    stats[1, google] = 200e6 * 1.25  # at the 25% tolerance
    stats[2, cut] = 0.5 * 1.2  # 20% above the bound: at the tolerance
    stats[3, cut] = 0.1  # well inside the bound
    d = target_distances(stats, targets)
    assert np.allclose(d[0], 0) and np.isclose(d[1, google], 1) and np.isclose(d[2, cut], 1)
    assert d[3, cut] == 0
    assert combined_distance(d)[0] == 0 and np.isclose(combined_distance(d)[1], 1)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"facts": ["no_such_fact"]}, "facts[0]", "unknown fact id 'no_such_fact'"),
        ({"series": "profits"}, "series", "unknown metric 'profits'"),
        ({"args": {"client": "Amazon", "vendor": "Scale AI"}}, "args", "client 'Amazon'"),
        ({"series": "revenue", "args": {"vendors": ["Surge AI", "Acme"]}}, "args", "'Acme'"),
        ({"series": "revenue", "args": {"vendors": "Surge AI"}}, "args", "a list of names"),
        ({"window": ["2025-06", "2024-01"]}, "window", "must be ordered"),
        ({"window": ["2023-01", "2024-01"]}, "window", "inside 2024-01..2026-12"),
        ({"tolerance": -1}, "tolerance", "greater than 0"),
    ],
)
def test_bad_targets_name_file_and_field(
    world_etc: tuple, tmp_path: Path, change: dict, field: str, words: str
) -> None:
    """A broken target names the file, the target and the field."""
    scenario, _, ledger, *_ = world_etc
    items = yaml.safe_load(TARGETS.read_text())["targets"]
    items[0] = {**items[0], **change}
    path = write(tmp_path, "targets.yaml", {"targets": items})
    with pytest.raises(CalibrationInputError) as err:
        load_targets(path, ledger, scenario)
    assert str(path) in str(err.value) and f"({items[0]['id']}).{field}" in str(err.value)
    assert words in str(err.value)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"low": 12.0, "high": 0.0}, "parameters[0].low", "bounds reversed"),
        ({"path": "clients.*.conflict_sensitivty"}, "parameters[0].path", "did you mean"),
        ({"high": 500.0}, "parameters[0].high", "allowed range [0, 100]"),
        ({"prior": "normal"}, "parameters[0].prior", "mean and sd"),
    ],
)
def test_bad_priors_name_file_and_field(
    world_etc: tuple, tmp_path: Path, change: dict, field: str, words: str
) -> None:
    """Reversed bounds, unknown paths, bounds outside the schema: one clear message."""
    scenario, world, *_ = world_etc
    raw = yaml.safe_load(PARAMETERS.read_text())
    raw["parameters"][0] = {**raw["parameters"][0], **change}
    path = write(tmp_path, "parameters.yaml", raw)
    with pytest.raises(CalibrationInputError) as err:
        load_fit_spec(path, scenario, world)
    assert str(err.value).startswith(f"{path}: {field}") and words in str(err.value)


def test_a_target_on_named_vendors_measures_those_vendors_together(world_etc: tuple) -> None:
    """`vendors: [Surge AI, Mercor]` (the networks article 003 names) is their revenue
    summed, month by month; the expert group adds Turing."""
    _, world, _, targets, _ = world_etc
    target = next(t for t in targets if t.spec.id == "expert_vendors_revenue_grows_fast")
    assert target.spec.args == {"vendors": ["Surge AI", "Mercor"]}
    history = run_batch(world, [1]).history
    named = [world.vendors.index(v) for v in ("Surge AI", "Mercor")]
    measured = SERIES["revenue"].compute(world, history, target.spec.args)
    assert np.array_equal(measured, history["revenue"][:, :, named].sum(axis=2))
    group = SERIES["revenue"].compute(world, history, {"group": "expert"})
    turing = history["revenue"][:, :, world.vendors.index("Turing")]
    assert np.allclose(group, measured + turing)


def test_relative_parameters_keep_differences_between_clients(world_etc: tuple) -> None:
    """`clients.*.budget` x 2 doubles every client's own budget; absolute paths set one value."""
    _, world, _, _, fit = world_etc
    names = ("clients.*.budget", "clients.Google.conflict_sensitivity")
    sub = small_fit(fit, names)
    batched = sub.apply(
        world,
        np.array([[7.0, 2.0], [3.0, 0.5]])
        if sub.names[0] != names[0]
        else np.array([[2.0, 7.0], [0.5, 3.0]]),
    )
    np.testing.assert_allclose(batched.budget[0], 2 * world.budget)
    np.testing.assert_allclose(batched.budget[1], 0.5 * world.budget)
    assert batched.conflict_sensitivity[0][0] == 7.0  # Google's, the others unchanged
    np.testing.assert_array_equal(
        batched.conflict_sensitivity[0][1:], world.conflict_sensitivity[1:]
    )
    mapping = calibrated_mapping(
        world,
        sub.scenario_values(
            np.array([7.0, 2.0]) if sub.names[0] != names[0] else np.array([2.0, 7.0])
        ),
    )
    google = next(c for c in mapping["clients"] if c["name"] == "Google")
    assert google == {"name": "Google", "budget": 60e6, "conflict_sensitivity": 7.0}


def test_weighted_quantile() -> None:
    """Weights shift the quantile toward heavy points."""
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_quantile(x, np.full(4, 0.25), 0.5) == 2.0
    assert weighted_quantile(x, np.array([0.05, 0.05, 0.05, 0.85]), 0.5) == 4.0


def test_identifiability_flags_a_posterior_equal_to_its_prior(world_etc: tuple) -> None:
    """A prior sample is prior-dominated; a narrow cloud is pinned down."""
    _, _, _, _, fit = world_etc
    sub = small_fit(fit, ("clients.Google.conflict_sensitivity", "market.observation_noise"))
    rng = np.random.default_rng(0)
    theta = sub.from_unit(rng.random((2000, 2)))
    theta[:, 0] = rng.normal(6.0, 0.3, 2000)  # conflict: narrow
    verdicts = [i.verdict for i in identifiability(sub, theta, np.full(2000, 1 / 2000))]
    assert verdicts == ["pinned down", "prior-dominated"]


def test_interrupted_fit_resumes_to_the_same_posterior(world_etc: tuple, tmp_path: Path) -> None:
    """Stop after generation 1, resume from the checkpoint: same particles as uninterrupted."""
    _, world, _, targets, fit = world_etc
    targets = [t for t in targets if not t.spec.counterfactual]  # one world is enough here
    sub = small_fit(fit, ("clients.Google.conflict_sensitivity", "clients.*.budget"), population=40)
    settings = sub.abc.for_run(False, 2500)

    class Stop(Exception):
        pass

    def stop_after_1(state: AbcState) -> None:
        if len(state.populations) == 2:
            raise Stop

    whole = Abc(Simulator(world, sub, targets, LocalEngine(2)), settings, 7).run(
        AbcState(config="t")
    )
    checkpoint = tmp_path / "checkpoint.npz"
    with pytest.raises(Stop):
        Abc(
            Simulator(world, sub, targets, LocalEngine(2)), settings, 7, checkpoint, stop_after_1
        ).run(AbcState(config="t"))
    saved = load_checkpoint(checkpoint)
    assert len(saved.populations) == 2 and not saved.done
    resumed = Abc(Simulator(world, sub, targets, LocalEngine(2)), settings, 7, checkpoint).run(
        saved
    )
    assert len(whole.populations) > 2 and resumed.runs == whole.runs
    assert resumed.stop_reason == whole.stop_reason
    for a, b in zip(whole.populations, resumed.populations, strict=True):
        np.testing.assert_array_equal(a.theta, b.theta)
        np.testing.assert_array_equal(a.weights, b.weights)
    assert whole.populations[-1].epsilon < whole.populations[0].epsilon
    assert whole.runs <= settings.budget


def test_known_parameters_are_recovered(world_etc: tuple, without) -> None:
    """Targets simulated at known values: the 90% posterior intervals contain them."""
    _, world, _, targets, fit = world_etc
    names = ("clients.Google.conflict_sensitivity", "clients.*.expert_trend", "clients.*.budget")
    sub = small_fit(fit, names, population=150, min_acceptance=0.03)
    truth = np.array([3.0, 1.5, 1.2])  # parameters.yaml order: conflict, expert trend, budget
    result = recover(
        world, sub, targets, truth, sub.abc.for_run(False, 15_000), seed=3, engine=LocalEngine(2),
        without=without,
    )  # fmt: skip
    assert result.inside.all(), result.table()
    lo, _, hi = result.summary
    prior_width = np.array([p.spec.high - p.spec.low for p in sub.parameters])
    assert ((hi - lo) < 0.8 * prior_width).all(), result.table()  # and it learned something


def test_simulations_on_a_dask_cluster_equal_local_ones(world_etc: tuple, without) -> None:
    """`calibrate --scheduler` runs the same simulations: statistics equal value for value."""
    from labelmarket.model.execution.cluster import DaskEngine

    _, world, _, targets, fit = world_etc
    rng = np.random.default_rng(0)
    lows = np.array([p.spec.low for p in fit.parameters])
    highs = np.array([p.spec.high for p in fit.parameters])
    theta = lows + (highs - lows) * rng.random((6, len(fit.parameters)))
    seeds = np.arange(12, dtype=np.uint64) + 100
    local = Simulator(world, fit, targets, LocalEngine(2), without=without).statistics(
        theta, seeds, 2
    )
    with dask_scheduler() as address:
        engine = DaskEngine(address)
        try:
            remote = Simulator(world, fit, targets, engine, without=without).statistics(
                theta, seeds, 2
            )
        finally:
            engine.close()
    np.testing.assert_array_equal(local, remote)
