"""Sensitivity analysis: SALib indices recover known functions and the model's own drivers."""

from __future__ import annotations

import math

import numpy as np

from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.experiments.designs import design_values
from labelmarket.model.experiments.sensitivity import (
    analyse,
    morris_indices,
    sobol_indices,
)
from labelmarket.model.experiments.sweep import (
    plan_sweep,
    read_parts,
    run_sweep,
)
from labelmarket.model.experiments.sweep_file import SweepSpec
from tests.support import write_sweep


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
