"""Each scheduled event type does what it says, measured against the same world without it."""

from __future__ import annotations

import numpy as np

from labelmarket.model.core.state import TERM_NAMES
from labelmarket.model.drivers.batched import run_batch
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.loading import load_scenario
from labelmarket.model.scenario.schema import Scenario
from tests.support import NO_DEAL

M = 6  # events below happen in July 2024
SEEDS = replicate_seeds(9, 2)


def run_full(events: list[dict], vendors: list[dict] | None = None):
    """Run no_deal plus `events` (and extra vendors); return (world, result)."""
    data = load_scenario(NO_DEAL).resolved
    data["events"] = events
    data["vendors"] = data["vendors"] + (vendors or [])
    world = compile_world(Scenario.model_validate(data))
    return world, run_batch(world, SEEDS)


def run_with(events: list[dict], vendors: list[dict] | None = None):
    """Run no_deal plus `events` (and extra vendors); return (world, history)."""
    world, result = run_full(events, vendors)
    return world, result.history


BASE_WORLD, BASE = run_with([])
V = {name: i for i, name in enumerate(BASE_WORLD.vendors)}
C = {name: i for i, name in enumerate(BASE_WORLD.clients)}


def test_client_pause_stops_then_resumes() -> None:
    """A three-month pause zeroes Google's spend at Scale, which comes back afterwards."""
    _, result = run_full(
        [
            {
                "type": "client_pause",
                "month": "2024-07",
                "client": "Google",
                "vendor": "Scale AI",
                "months": 3,
            }
        ]
    )
    at_scale = result.history["spend"][:, :, C["Google"], V["Scale AI"]].sum(-1)
    assert (at_scale[M : M + 3] == 0).all()
    d = result.defections
    pair = (d["client"] == C["Google"]) & (d["vendor"] == V["Scale AI"])
    paused = pair & (d["month"] >= M) & (d["month"] < M + 3)
    assert paused.sum() >= 1  # the pause shows as a defection (unless one was just recorded) ...
    script = TERM_NAMES.index("scripted pause")
    assert (d["driver"][paused] == script).all()  # ... attributed to the script, not a choice
    assert (at_scale[M + 3 :] > 0).all()
    assert (at_scale[:M] > 0).all()


def test_client_exit_from_the_market() -> None:
    """Without a vendor or a duration, the client leaves the whole market for good."""
    _, h = run_with([{"type": "client_pause", "month": "2024-07", "client": "xAI"}])
    assert (h["spend"][M:, :, C["xAI"]] == 0).all()


def test_quality_shock_recovers() -> None:
    """Quality drops by delta at once and drifts back over the recovery time."""
    _, h = run_with(
        [
            {
                "type": "quality_shock",
                "month": "2024-07",
                "vendor": "Surge AI",
                "delta": -0.3,
                "tier": "expert",
                "recovery_months": 6,
            }
        ]
    )
    q = h["quality"][:, 0, V["Surge AI"], 1]
    base = BASE["quality"][:, 0, V["Surge AI"], 1]
    assert q[M] < base[M] - 0.2
    assert base[-1] - q[-1] < 0.01


def test_demand_shift_scales_budgets_and_mix() -> None:
    """Budgets double and the expert share rises for the named client only."""
    _, h = run_with(
        [
            {
                "type": "demand_shift",
                "month": "2024-07",
                "client": "Meta",
                "budget_factor": 2.0,
                "expert_shift": 1.0,
            }
        ]
    )
    ratio = h["budget"][M:, :, C["Meta"]].sum(-1) / BASE["budget"][M:, :, C["Meta"]].sum(-1)
    np.testing.assert_allclose(ratio, 2.0)
    share = h["budget"][M:, :, C["Meta"], 1] / h["budget"][M:, :, C["Meta"]].sum(-1)
    assert (
        share > BASE["budget"][M:, :, C["Meta"], 1] / BASE["budget"][M:, :, C["Meta"]].sum(-1)
    ).all()
    np.testing.assert_array_equal(h["budget"][:, :, C["Google"]], BASE["budget"][:, :, C["Google"]])


def test_new_entrant_sells_only_after_entry() -> None:
    """An entrant has no revenue before its month and wins clients after it."""
    entrant = {
        "name": "NewCo",
        "model": "expert",
        "workforce": {"generalist": 100, "expert": 3000},
        "hours_per_worker": {"generalist": 40, "expert": 50},
        "wage": {"generalist": 600, "expert": 5000},
        "quality": {"generalist": 0.9, "expert": 0.95},
        "price": {"generalist": 25, "expert": 100},
        "hiring_rate": {"generalist": 0.2, "expert": 0.2},
        "attrition_rate": {"generalist": 0.02, "expert": 0.02},
        "layoff_rate": {"generalist": 0.1, "expert": 0.1},
    }
    world, h = run_with([{"type": "new_entrant", "month": "2024-07", "vendor": "NewCo"}], [entrant])
    v = world.vendors.index("NewCo")
    assert (h["revenue"][:M, :, v] == 0).all()
    assert (h["costs"][:M, :, v] == 0).all()
    assert (h["revenue"][M + 2 :, :, v] > 0).all()


def test_vendor_pivot_raises_expert_pay_staff_and_quality() -> None:
    """A pivot multiplies expert pay, recruits experts ahead of demand (a committed push)
    and ramps expert quality toward its target."""
    _, h = run_with(
        [
            {
                "type": "vendor_pivot",
                "month": "2024-07",
                "vendor": "Scale AI",
                "expert_wage_factor": 1.5,
                "expert_quality_target": 0.85,
                "ramp_months": 6,
            }
        ]
    )
    s = V["Scale AI"]
    np.testing.assert_allclose(h["wage"][M, :, s, 1], 1.5 * BASE["wage"][M, :, s, 1])
    assert (h["push"][M:, :, s] == 1.0).all()
    later = slice(M + 6, None)
    assert (h["workforce"][later, :, s, 1] > 1.2 * BASE["workforce"][later, :, s, 1]).all()
    assert (h["quality"][-1, :, s, 1] > 0.84).all()
    assert (BASE["quality"][-1, :, s, 1] < 0.7).all()


def test_pay_cut_loses_workers_and_quality() -> None:
    """A pay cut lowers pay now; the cut pay draws fewer workers, so some leave, and the
    vendor, short of workers, raises pay again; the lost quality stays lost."""
    _, h = run_with(
        [
            {
                "type": "pay_cut",
                "month": "2024-07",
                "vendor": "Appen",
                "fraction": 0.3,
                "quality_loss": 0.1,
            }
        ]
    )
    a = V["Appen"]
    np.testing.assert_allclose(h["wage"][M, :, a], 0.7 * BASE["wage"][M, :, a])
    assert (h["poached"][M, :, a].sum(-1) > BASE["poached"][M, :, a].sum(-1) + 100).all()
    assert (h["wage"][M + 6, :, a] > h["wage"][M, :, a]).all()  # short of workers: pay rises
    assert (h["quality"][-1, :, a] < BASE["quality"][-1, :, a] - 0.09).all()


def test_talent_departure_removes_workers() -> None:
    """Half of Mercor's experts leave at once; it rehires at most its recruiting capacity a
    month, so its expert capacity stays short for a while."""
    _, h = run_with(
        [
            {
                "type": "talent_departure",
                "month": "2024-07",
                "vendor": "Mercor",
                "fraction": 0.5,
                "tier": "expert",
            }
        ]
    )
    m = V["Mercor"]
    assert (h["capacity"][M, :, m, 1] < 0.75 * BASE["capacity"][M, :, m, 1]).all()
    assert (h["hires"][M, :, m, 1] > BASE["hires"][M, :, m, 1]).all()
