"""Posterior ensembles: each replicate draws its parameters from a posterior sample, by its seed.

The samples here are written by hand (a few particles, two fitted values), so the tests are
fast and know every answer; `tests/cli/test_calibrate.py` checks that `calibrate` writes one.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import labelmarket as lm
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.results.posterior import apply_sample, read_sample, write_sample
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from tests.support import SCENARIOS, assert_bad_input, call_main

CLIENTS = ("Google", "Meta", "OpenAI", "xAI", "Anthropic", "Microsoft", "Enterprise")


def make_sample(path: Path, conflict: list[float], weights: list[float]) -> Path:
    """A sample of Google's conflict weight (absolute) and every budget (x base)."""
    scenario = load_scenario(SCENARIOS / "historical.yaml")
    budgets = [[f"clients.{c.name}.budget", c.budget] for c in scenario.clients]
    layout = [
        {"name": "clients.Google.conflict_sensitivity", "relative": False,
         "columns": [["clients.Google.conflict_sensitivity", 4.0]]},
        {"name": "clients.*.budget", "relative": True, "columns": budgets},
    ]  # fmt: skip
    factors = np.linspace(0.8, 1.2, len(conflict))
    theta = np.column_stack([conflict, factors])
    return write_sample(path, layout, theta, np.array(weights), {"base_scenario": "test"})


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five particles, the middle one twice as likely."""
    folder = tmp_path_factory.mktemp("sample")
    return make_sample(folder / "fit.posterior.parquet", [1, 2, 3, 4, 5], [1, 1, 2, 1, 1])


def test_each_replicate_runs_the_particle_its_seed_draws(sample: Path) -> None:
    """Draws depend on the replicate seed alone, follow the weights, and set the world's row."""
    found = read_sample(sample)
    seeds = np.arange(4000, dtype=np.uint64) * 7919 + 3
    draws = found.draws(seeds)
    np.testing.assert_array_equal(draws[:10], found.draws(seeds[:10]))  # any run size
    share = np.bincount(draws, minlength=5) / len(draws)
    np.testing.assert_allclose(share, [1 / 6, 1 / 6, 1 / 3, 1 / 6, 1 / 6], atol=0.03)
    scenario = load_scenario(SCENARIOS / "historical.yaml")
    world = compile_world(scenario)
    batched, ensemble = apply_sample(found, scenario, world, seeds[:6])
    google = batched.conflict_sensitivity[:, 0]
    np.testing.assert_array_equal(google, found.theta[draws[:6], 0])
    np.testing.assert_allclose(batched.budget, found.theta[draws[:6], 1:2] * world.budget)
    np.testing.assert_array_equal(ensemble.draws, draws[:6])
    assert ensemble.kept == {}


def test_a_scenario_keeps_the_values_it_sets_itself(sample: Path) -> None:
    """A fitted value the scenario (or --set) changes on purpose stays the scenario's."""
    scenario = load_scenario(
        SCENARIOS / "historical.yaml", ["clients.Google.conflict_sensitivity=9"]
    )
    batched, ensemble = apply_sample(
        read_sample(sample), scenario, compile_world(scenario), np.arange(3, dtype=np.uint64)
    )
    assert ensemble.kept == {"clients.Google.conflict_sensitivity": 9.0}
    assert set(batched.conflict_sensitivity[:, 0]) == {9.0}


def test_run_records_draws_and_gives_the_same_numbers_on_any_workers(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --posterior`: draws in the manifest and summary.csv; one or two workers agree."""
    folders = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        args = ["run", "historical", "-n", "5", "-s", "3", "-w", workers, "--no-charts"]
        code, _, err = call_main([*args, "--posterior", str(sample), "--out", str(out)], capsys)
        assert code == 0, err
        folders.append(out)
    one, two = (pd.read_csv(f / "summary.csv") for f in folders)
    pd.testing.assert_frame_equal(one, two)
    manifest = json.loads((folders[0] / "manifest.json").read_text())
    drawn = manifest["posterior"]["draws"]
    assert list(one["draw"]) == drawn
    assert list(one["posterior[clients.Google.conflict_sensitivity]"]) == [d + 1.0 for d in drawn]
    assert "parameter and random uncertainty" in manifest["interval"]
    plain = lm.run("historical", 5, 3, workers=1)
    assert not plain.manifest.get("posterior")
    assert "random draws only" in plain.manifest["interval"]


def test_the_python_api_draws_the_same_particles(sample: Path) -> None:
    """`lm.run(..., posterior=...)` gives the command line's draws and a summary with them."""
    results = lm.run("historical", 3, 3, workers=1, posterior=sample)
    assert list(results.summary["draw"]) == list(read_sample(sample).draws(results.seeds))
    assert results.draws is not None


def test_compare_pairs_by_seed_and_draw(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario files compared with a posterior pair on seed and draw; a run that drew its
    parameters is not paired with one that did not (exit 2), unless --unpaired."""
    from labelmarket.api.inputs import load_inputs
    from labelmarket.model.results.comparison import compare

    files = [SCENARIOS / "no_deal.yaml", SCENARIOS / "historical.yaml"]
    runs = load_inputs(files, 3, 4, LocalEngine(1), str(sample))
    _, _, pairings = compare(runs)
    assert pairings[0].by_draw and "seed and posterior draw" in pairings[0].describe()
    np.testing.assert_array_equal(runs[0].draws, runs[1].draws)
    drawn, plain = tmp_path / "drawn", tmp_path / "plain"
    base = ["run", "historical", "-n", "3", "-w", "1", "--no-charts"]
    assert call_main([*base, "--posterior", str(sample), "--out", str(drawn)], capsys)[0] == 0
    assert call_main([*base, "--set", "name=plain", "--out", str(plain)], capsys)[0] == 0
    args = ["compare", str(plain), str(drawn), "--out", str(tmp_path / "x")]
    code, _, err = call_main(args, capsys)
    assert_bad_input(code, err, "drew its parameters from a posterior sample", "--unpaired")


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("missing.posterior.parquet", "no such file or folder"),
        ("not_a_sample.parquet", "not a posterior sample written by `labelmarket calibrate`"),
        ("empty_folder", "expected one *.posterior.parquet file in the folder"),
        ("other_clients.posterior.parquet", "the sample does not fit this scenario"),
    ],
)
def test_bad_samples_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str, words: str
) -> None:
    """A missing, foreign or mismatched sample: one message, exit 2, no output folder."""
    target = tmp_path / where
    if where == "not_a_sample.parquet":
        pd.DataFrame({"x": [1.0]}).to_parquet(target)
    elif where == "empty_folder":
        target.mkdir()
    elif where.startswith("other"):
        layout = [{"name": "clients.Amazon.budget", "relative": False,
                   "columns": [["clients.Amazon.budget", 1e6]]}]  # fmt: skip
        write_sample(target, layout, np.ones((2, 1)), np.ones(2), {})
    out = tmp_path / "out"
    code, _, err = call_main(
        ["run", "historical", "-n", "2", "--posterior", str(target), "--out", str(out)], capsys
    )
    assert_bad_input(code, err, words)
    assert not out.exists()


def test_a_sweep_draws_what_its_design_leaves(sample: Path, small_sweep, tmp_path: Path) -> None:
    """`sweep --posterior`: each run draws by its seed; the swept values win over the draws."""
    from labelmarket.model.experiments.sweep import plan_sweep, read_parts, run_sweep
    from labelmarket.model.results.posterior import drawn_for
    from labelmarket.model.scenario.paths import with_parameters

    path, plain = small_sweep
    found = read_sample(sample)
    plan = plan_sweep(path, found)
    assert plan.fingerprint != plan_sweep(path).fingerprint  # --resume never mixes the two
    assert run_sweep(plan, tmp_path / "out", LocalEngine(1)) == (18, 0)
    drawn = read_parts(tmp_path / "out")
    seeds = drawn["seed"].to_numpy(dtype=np.uint64)
    np.testing.assert_array_equal(drawn["draw"], found.draws(seeds))
    ctx = plan.context
    world = drawn_for(found, ctx.placements, 0, ctx.world, seeds[:4])
    runs = with_parameters(world, ctx.parameters, plan.values[: 4 // 3 + 1].repeat(3, 0)[:4])
    np.testing.assert_array_equal(runs.conflict_sensitivity[:, 0], [0, 0, 0, 0])  # the design's
    np.testing.assert_allclose(runs.budget[:, 0], found.theta[drawn["draw"][:4], 1] * 30e6)
    assert not np.allclose(drawn["workforce_end[Scale AI]"], plain["workforce_end[Scale AI]"])
