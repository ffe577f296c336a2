"""Sweeps: identical numbers whatever the engine, workers, chunking or interruption;
failures recorded per run; resume without redoing or duplicating; designs and SALib."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from labelmarket.model.execution.cluster import DaskEngine
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.replicates import run_replicates
from labelmarket.model.execution.seeds import replicate_seeds, sweep_seeds
from labelmarket.model.experiments.designs import design_size, design_values, unit_design
from labelmarket.model.experiments.sensitivity import (
    analyse,
    morris_indices,
    point_summary,
    sobol_indices,
)
from labelmarket.model.experiments.sweep import (
    FAIL_ENV,
    plan_sweep,
    read_parts,
    run_sweep,
)
from labelmarket.model.experiments.sweep_file import SweepSpec

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

SMALL = {
    "name": "small",
    "scenario": str(SCENARIOS / "historical.yaml"),
    "baseline": str(SCENARIOS / "no_deal.yaml"),
    "design": "grid",
    "parameters": [
        {"path": "clients.*.conflict_sensitivity", "range": [0, 8], "levels": 3},
        {"path": "market.founder_exposure", "values": [0.0, 0.5]},
    ],
    "replicates": 3,
    "seed": 11,
    "outcomes": [
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026},
        {"metric": "revenue", "vendor": "Scale AI", "year": 2026, "versus_baseline": True},
        {"metric": "defections"},
        {"metric": "leave_month", "client": "Google", "vendor": "Scale AI"},
        {"metric": "crowd_share"},
        {"metric": "hhi", "year": 2025},
        {"metric": "workforce", "vendor": "Scale AI"},
    ],
}


def write_sweep(folder: Path, **changes: object) -> Path:
    """A sweep file (SMALL with changes; a change to None drops the key) in `folder`."""
    path = folder / "sweep.yaml"
    data = {k: v for k, v in {**SMALL, **changes}.items() if v is not None}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The small sweep run once, uninterrupted, on one local worker: (sweep file, results)."""
    folder = tmp_path_factory.mktemp("small")
    path = write_sweep(folder)
    out = folder / "out"
    done, failed = run_sweep(plan_sweep(path), out, LocalEngine(1))
    assert (done, failed) == (18, 0)
    return path, read_parts(out)


@pytest.fixture(scope="module")
def cluster():
    """A small Dask cluster on 127.0.0.1 (threads in this process, reached over TCP)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local.scheduler_address


def test_results_hold_every_run_once_with_its_parameters(small):
    _, results = small
    assert results["run"].tolist() == list(range(18))
    assert (results["point"] * 3 + results["replicate"] == results["run"]).all()
    assert results["error"].isna().all()
    by_point = results.groupby("point")["clients.*.conflict_sensitivity"].nunique()
    assert (by_point == 1).all()
    assert sorted(results["clients.*.conflict_sensitivity"].unique()) == [0, 4, 8]
    expected = sweep_seeds(11, results["point"].to_numpy(), results["replicate"].to_numpy())
    assert (results["seed"].to_numpy() == expected).all()
    assert len(set(results["seed"])) == 18


def test_outcomes_mean_what_they_say(small):
    _, r = small
    paired = r["revenue_2026[Scale AI]"] - r["revenue_2026[Scale AI] vs baseline"]
    no_conflict = r["clients.*.conflict_sensitivity"] == 0
    # with no conflict penalty and no founder exposure, the stake costs Scale nothing...
    quiet = no_conflict & (r["market.founder_exposure"] == 0)
    assert paired[quiet].gt(0).all()  # the baseline revenue itself, positive
    # ...and a strong penalty makes the deal cost Scale revenue (paired difference < 0)
    harsh = r["clients.*.conflict_sensitivity"] == 8
    assert r.loc[harsh, "revenue_2026[Scale AI] vs baseline"].median() < 0
    assert r["crowd_share_end"].between(0, 1).all() and r["hhi_2025"].between(0, 1).all()
    assert (r["defections_total"] >= 0).all() and (r["defections_total"] % 1 == 0).all()
    leave = r["leave_month[Google->Scale AI]"].dropna()
    assert leave.between(0, 35).all() and (leave % 1 == 0).all()


@pytest.mark.parametrize("workers, chunk", [(2, 5), (2, 1), (1, 7)])
def test_same_numbers_whatever_the_workers_and_chunking(small, tmp_path, workers, chunk):
    path, expected = small
    run_sweep(plan_sweep(path), tmp_path / "a", LocalEngine(workers), chunk_size=chunk)
    pd.testing.assert_frame_equal(read_parts(tmp_path / "a"), expected, check_exact=True)
    assert len(list((tmp_path / "a" / "parts").glob("*.parquet"))) == math.ceil(18 / chunk)


def test_dask_engine_gives_the_local_numbers(small, cluster, tmp_path):
    path, expected = small
    engine = DaskEngine(cluster)
    try:
        assert engine.workers == 2
        run_sweep(plan_sweep(path), tmp_path / "d", engine, chunk_size=4)
    finally:
        engine.close()
    pd.testing.assert_frame_equal(read_parts(tmp_path / "d"), expected, check_exact=True)


def test_replicate_runs_on_dask_equal_local(cluster):
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.files import load_scenario

    world = compile_world(load_scenario(SCENARIOS / "historical.yaml")[0])
    seeds = replicate_seeds(3, 6)
    local = run_replicates(world, seeds, LocalEngine(1))
    engine = DaskEngine(cluster)
    try:
        remote = run_replicates(world, seeds, engine)
    finally:
        engine.close()
    for key, values in local.history.items():
        np.testing.assert_array_equal(remote.history[key], values)
    for key, values in local.defections.items():
        np.testing.assert_array_equal(remote.defections[key], values)


def test_resume_after_interruption_neither_redoes_nor_duplicates(small, tmp_path):
    path, expected = small
    out = tmp_path / "r"
    assert run_sweep(plan_sweep(path), out, LocalEngine(1), chunk_size=4, limit=7) == (7, 0)
    first = sorted(p.name for p in (out / "parts").glob("*.parquet"))
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "parts").glob("*.parquet")}
    (out / "parts" / "part-00000099.parquet.tmp").write_bytes(b"half a part")  # a killed write
    assert run_sweep(plan_sweep(path), out, LocalEngine(2), chunk_size=3) == (11, 0)
    assert all(
        (out / "parts" / n).stat().st_mtime_ns == stamps[n] for n in first
    )  # earlier parts untouched
    assert not list((out / "parts").glob("*.tmp"))
    rows = pd.concat([pd.read_parquet(p) for p in (out / "parts").glob("*.parquet")])
    assert len(rows) == 18 and rows["run"].is_unique
    pd.testing.assert_frame_equal(read_parts(out), expected, check_exact=True)
    assert run_sweep(plan_sweep(path), out, LocalEngine(1)) == (0, 0)  # nothing left


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(small, tmp_path, monkeypatch):
    path, expected = small
    monkeypatch.setenv(FAIL_ENV, "4,13")
    done, failed = run_sweep(plan_sweep(path), tmp_path / "f", LocalEngine(2), chunk_size=6)
    assert (done, failed) == (18, 2)
    got = read_parts(tmp_path / "f")
    bad = got["run"].isin([4, 13])
    assert got.loc[bad, "error"].str.contains("injected failure in run").all()
    assert got.loc[bad, "revenue_2026[Scale AI]"].isna().all()
    assert got.loc[~bad, "error"].isna().all()
    # the chunk-mates of a failing run are re-run alone and keep their exact numbers
    pd.testing.assert_frame_equal(got[~bad], expected[~bad], check_exact=True)
    summary = point_summary(got, ["clients.*.conflict_sensitivity"], ["defections_total"])
    assert summary["failed"].sum() == 2 and summary["runs"].sum() == 18


def test_design_sizes_and_ranges():
    base = {"name": "d", "scenario": "x.yaml", "outcomes": [{"metric": "hhi"}], "seed": 3}
    params = [{"path": "a", "range": [1, 100], "scale": "log"}, {"path": "b", "range": [-2, 2]}]
    for design, points, size in (("lhs", 10, 10), ("sobol", 8, 32), ("morris", 5, 15)):
        spec = SweepSpec.model_validate(
            {**base, "design": design, "points": points, "parameters": params}
        )
        values = design_values(spec)
        assert design_size(spec) == size == len(values)
        assert values[:, 0].min() >= 1 and values[:, 0].max() <= 100
        assert values[:, 1].min() >= -2 and values[:, 1].max() <= 2
        np.testing.assert_array_equal(values, design_values(spec))  # seeded
    lhs = SweepSpec.model_validate({**base, "design": "lhs", "points": 10, "parameters": params})
    strata = np.floor(unit_design(lhs) * 10)
    assert all(sorted(col) == list(range(10)) for col in strata.T)  # one point per stratum
    grid = SweepSpec.model_validate(
        {
            **base,
            "design": "grid",
            "parameters": [{**params[0], "levels": 3}, params[1] | {"levels": 2}],
        }
    )
    np.testing.assert_allclose(design_values(grid)[:, 0], [1, 1, 10, 10, 100, 100])


def _ishigami(x: np.ndarray) -> np.ndarray:
    """Ishigami function: known Sobol indices."""
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_ishigami_are_the_known_ones():
    spec = SweepSpec.model_validate(
        {
            "name": "ishigami",
            "scenario": "x.yaml",
            "design": "sobol",
            "points": 2048,
            "seed": 1,
            "parameters": [{"path": f"x{i}", "range": [-math.pi, math.pi]} for i in (1, 2, 3)],
            "outcomes": [{"metric": "hhi"}],
        }
    )
    table = sobol_indices(spec, _ishigami(design_values(spec)))
    np.testing.assert_allclose(table["S1"], [0.3139, 0.4424, 0.0], atol=0.04)
    np.testing.assert_allclose(table["ST"], [0.5576, 0.4424, 0.2437], atol=0.04)
    assert (table["S1_conf"] > 0).all() and (table["S1_conf"] < 0.1).all()


def test_morris_ranks_a_linear_function_by_its_slopes():
    spec = SweepSpec.model_validate(
        {
            "name": "linear",
            "scenario": "x.yaml",
            "design": "morris",
            "points": 20,
            "parameters": [{"path": f"x{i}", "range": [0, 1]} for i in range(4)],
            "outcomes": [{"metric": "hhi"}],
        }
    )
    x = design_values(spec)
    table = morris_indices(spec, x @ np.array([5.0, -2.0, 1.0, 0.0]))
    np.testing.assert_allclose(table["mu_star"], [5, 2, 1, 0], atol=1e-9)
    np.testing.assert_allclose(table["sigma"], 0, atol=1e-9)  # linear: no interactions


def test_sobol_of_the_model_finds_the_conflict_penalty(tmp_path):
    """The deal's cost to Scale is driven by the conflict penalty, not by the budget noise."""
    path = write_sweep(
        tmp_path,
        design="sobol",
        points=16,
        replicates=1,
        parameters=[
            {"path": "clients.*.conflict_sensitivity", "range": [0, 8]},
            {"path": "market.budget_noise", "range": [0.0, 0.02]},
        ],
        outcomes=[
            {"metric": "revenue", "vendor": "Scale AI", "year": 2026, "versus_baseline": True}
        ],
    )
    plan = plan_sweep(path)
    run_sweep(plan, tmp_path / "s", LocalEngine(2))
    name = "revenue_2026[Scale AI] vs baseline"
    table, notes = analyse(plan.spec, read_parts(tmp_path / "s"), [name], plan.points)
    assert notes == []
    st = table.set_index("parameter")["ST"]
    assert st["clients.*.conflict_sensitivity"] > 0.5 > st["market.budget_noise"]


def test_morris_with_common_random_numbers_screens_out_inert_parameters(tmp_path):
    """The investor and the enterprise segment see no rival's stake: zero effect, exactly."""
    path = write_sweep(
        tmp_path,
        design="morris",
        points=3,
        replicates=1,
        common_random_numbers=True,
        baseline=None,
        parameters=[
            {"path": f"clients.{c}.conflict_sensitivity", "range": [0, 8]}
            for c in ("Google", "Meta", "Enterprise")
        ],
        outcomes=[{"metric": "revenue", "vendor": "Scale AI", "year": 2026}],
    )
    plan = plan_sweep(path)
    run_sweep(plan, tmp_path / "m", LocalEngine(1))
    results = read_parts(tmp_path / "m")
    assert results["seed"].nunique() == 1  # every point shares replicate 0's seed
    table, _ = analyse(plan.spec, results, ["revenue_2026[Scale AI]"], plan.points)
    mu_star = table.set_index("parameter")["mu_star"]
    assert mu_star["clients.Meta.conflict_sensitivity"] == 0
    assert mu_star["clients.Enterprise.conflict_sensitivity"] == 0
    assert mu_star["clients.Google.conflict_sensitivity"] > 1e7  # $ per full range
