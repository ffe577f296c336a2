"""Scenario discovery recovers a region it was built to find, and says so honestly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labelmarket.errors import UsageError
from labelmarket.model.experiments.discovery import choose_box, condition_mask, discover

pytest.importorskip("ema_workbench", reason="the optional 'discovery' extra is not installed")

PARAMETERS = ["clients.*.conflict_sensitivity", "market.founder_exposure", "clients.*.inertia"]
OUTCOME = "revenue_2026[Scale AI] vs baseline"
# The true region: conflict sensitivity above 5 (of 0-8) and founder exposure below 0.2 (of
# 0-0.5); inertia (0.2-2) plays no part. Inside it the deal costs Scale about $400M.
TRUE = {"clients.*.conflict_sensitivity": (5.0, 8.0), "market.founder_exposure": (0.0, 0.2)}


def synthetic_sweep(runs: int = 1200, noise: float = 0.0, seed: int = 3) -> pd.DataFrame:
    """A sweep's results table (parameters, outcome, error) with a known region."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "run": range(runs),
            PARAMETERS[0]: rng.uniform(0, 8, runs),
            PARAMETERS[1]: rng.uniform(0, 0.5, runs),
            PARAMETERS[2]: rng.uniform(0.2, 2, runs),
        }
    )
    inside = (frame[PARAMETERS[0]] > 5) & (frame[PARAMETERS[1]] < 0.2)
    frame[OUTCOME] = np.where(inside, -4e8, -5e7) + rng.normal(0, 3e7, runs)
    flip = rng.random(runs) < noise  # some runs land on the other side by chance
    frame.loc[flip, OUTCOME] = -frame.loc[flip, OUTCOME] - 4.5e8
    frame["error"] = None
    return frame


@pytest.mark.parametrize("noise", [0.0, 0.03])
def test_prim_box_recovers_the_true_region(noise: float) -> None:
    found = discover(synthetic_sweep(noise=noise), PARAMETERS, f"{OUTCOME} < -2e8", [OUTCOME])
    limits = found.limits.set_index("parameter")
    for name, (low, high) in TRUE.items():
        assert limits.loc[name, "restricted"], name
        span = limits.loc[name, "range_high"] - limits.loc[name, "range_low"]
        assert abs(limits.loc[name, "low"] - low) < 0.06 * span, limits
        assert abs(limits.loc[name, "high"] - high) < 0.06 * span, limits
        assert limits.loc[name, "qp"] < 1e-3  # a restriction that is not chance
    # The irrelevant parameter keeps (nearly) its whole range.
    assert limits.loc["clients.*.inertia", "kept"] > 0.85
    box = found.box
    assert box["coverage"] >= 0.8
    assert box["density"] > (0.95 if noise == 0 else 0.75)
    assert box["density"] > 2.5 * found.base_rate
    # The trajectory trades coverage for density: it starts with every run.
    first = found.trajectory.iloc[0]
    assert first["coverage"] == 1 and first["density"] == pytest.approx(found.base_rate)
    assert found.trajectory["density"].iloc[-1] >= box["density"]


def test_cart_finds_the_same_region_as_its_densest_rule() -> None:
    found = discover(synthetic_sweep(), PARAMETERS, f"`{OUTCOME}` < -2e8", [OUTCOME])
    best = found.cart.iloc[0]
    assert best["density"] > 0.95 and best["coverage"] > 0.9
    bounds = {name: (low, high) for name, low, high in best["rule"]}
    assert set(bounds) == set(TRUE)
    assert bounds[PARAMETERS[0]][0] == pytest.approx(5.0, abs=0.3)
    assert bounds[PARAMETERS[1]][1] == pytest.approx(0.2, abs=0.02)


def test_failed_runs_are_left_out() -> None:
    frame = synthetic_sweep(600)
    frame.loc[:49, "error"] = "boom"
    found = discover(frame, PARAMETERS, f"{OUTCOME} < -2e8", [OUTCOME])
    assert found.cases == 550


def test_condition_reads_names_bare_or_quoted_and_missing_values_as_false() -> None:
    frame = pd.DataFrame({"leave_month[Google->Scale AI]": [3.0, np.nan, 30.0], "hhi_end": 0.3})
    outcomes = list(frame.columns)
    mask = condition_mask(frame, "leave_month[Google->Scale AI] <= 24", outcomes)
    assert mask.tolist() == [True, False, False]
    both = condition_mask(frame, "`leave_month[Google->Scale AI]` > 1 and hhi_end < 0.5", outcomes)
    assert both.tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("profit > 0", "names no outcome"),
        ("hhi_end <", "cannot be read"),
        ("hhi_end * 2", "not a true/false condition"),
        ("hhi_end > 5", "holds in no run"),
    ],
)
def test_bad_conditions_say_what_is_wrong(expression: str, message: str) -> None:
    frame = synthetic_sweep(100)
    frame["hhi_end"] = 0.3
    with pytest.raises(UsageError, match=message):
        discover(frame, PARAMETERS, expression, [OUTCOME, "hhi_end"])


def test_the_chosen_box_is_the_densest_meeting_the_coverage() -> None:
    trajectory = pd.DataFrame({"coverage": [1.0, 0.9, 0.82, 0.7], "density": [0.3, 0.5, 0.6, 0.9]})
    assert choose_box(trajectory, 0.8) == 2
    assert choose_box(trajectory, 0.5) == 3
    assert choose_box(trajectory, 1.0) == 0
