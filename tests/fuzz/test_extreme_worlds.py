"""Valid but extreme worlds run with no NaN or infinity, and with money conserved.

The worlds (`tests.fuzz.worlds`) put every parameter at a bound of its declared range, at
its default or in between: one vendor or a hundred, one client, zero or maximum
sensitivities, budgets from the smallest positive number to a trillion dollars a month.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.scenario.checks import check_growth, check_references
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.schema import Scenario
from tests.fuzz.worlds import extreme_scenarios


def _accepted(data: dict) -> Scenario | None:
    """The scenario, if every check `load_scenario` makes accepts it."""
    scenario = Scenario.model_validate(data)
    problems = check_references(scenario) + check_growth(scenario)
    return None if problems else scenario


EXAMPLES = int(os.environ.get("LABELMARKET_FUZZ_EXAMPLES", "40"))
"""Worlds per run (set the variable higher for a longer search)."""


# numpy warns of overflow inside np.where branches it then discards (exp of a huge negative
# log-odds is 0 expert share; a fill rate where nothing is asked): the history is checked finite
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(extreme_scenarios())
def test_extreme_worlds_stay_finite_and_conserve_money(data: dict) -> None:
    """Every accepted world: finite history, spend = revenue, spend + unserved = budget."""
    scenario = _accepted(data)
    assume(scenario is not None)
    h = run_batch(compile_world(scenario), [1, 2]).history
    for name, values in h.items():
        assert np.isfinite(values).all(), f"{name} has NaN or infinity"
    spend = h["spend"].sum(axis=(3, 4))  # (T, R, C)
    np.testing.assert_allclose(spend.sum(-1), h["revenue"].sum(-1), rtol=1e-9, atol=1e-6)
    budget = h["budget"].sum(-1)
    np.testing.assert_allclose(spend + h["unserved"], budget, rtol=1e-9, atol=1e-6)
    assert (h["unserved"] >= -1e-9 * np.maximum(budget, 1.0)).all()


def _vendor(name: str, generalist_wage: float, generalist_attrition: float) -> dict:
    pair = lambda g, e: {"generalist": g, "expert": e}  # noqa: E731
    return {
        "name": name, "model": "crowd", "workforce": pair(1000, 100),
        "hours_per_worker": pair(60, 50), "wage": pair(generalist_wage, 3000),
        "quality": pair(0.7, 0.6), "price": pair(20, 80), "hiring_rate": pair(0.2, 0.2),
        "attrition_rate": pair(generalist_attrition, 0.03), "layoff_rate": pair(0.2, 0.2),
    }  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_vendor_losing_every_generalist_keeps_the_history_finite() -> None:
    """Found by the search above: the smallest world it shrank to (accepted by the schema)."""
    data = {
        "name": "spill", "start": "2024-01", "end": "2025-01",
        "vendors": [_vendor("V0", 1000, 0.03), _vendor("V1", 0, 1.0)],
        "clients": [{"name": "C", "segment": "enterprise", "budget": 1e8}],
    }  # fmt: skip
    scenario = _accepted(data)
    assert scenario is not None
    h = run_batch(compile_world(scenario), [1, 2]).history
    assert np.isfinite(h["spend"]).all()
